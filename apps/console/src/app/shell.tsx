import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { useSignOut } from '../features/session/api/sign-out.ts';
import { useMe } from '../lib/me/get-me.ts';
import { StatusMessage } from '../lib/status-message.tsx';
import { ThemeToggle } from '../lib/theme-toggle.tsx';
import { consoleSections } from './features.ts';

function SignedInUser() {
  const me = useMe();
  const navigate = useNavigate();
  const signOut = useSignOut();
  return (
    <div className="session-controls">
      <span className="signed-in-as" title={me.user.groups.length ? `Groups: ${me.user.groups.join(', ')}` : undefined}>
        Signed in as <strong>{me.user.username}</strong>
      </span>
      <button
        type="button"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate({ to: '/sign-in' }) })}
      >
        Sign out
      </button>
      {signOut.isError ? <StatusMessage error={signOut.error} className="inline" /> : null}
    </div>
  );
}

export function Shell() {
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <span className="brand">Auditorium</span>
        <div className="shell-header-end">
          <SignedInUser />
          <ThemeToggle />
        </div>
      </header>
      <nav className="shell-nav" aria-label="Sections">
        <ul>
          {consoleSections.map((section) => (
            <li key={section.path}>
              <Link
                to={section.path}
                activeOptions={{ exact: section.path === '/', includeSearch: false }}
                activeProps={{ 'aria-current': 'page' }}
              >
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="shell-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
