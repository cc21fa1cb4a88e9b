import { Link, Outlet } from '@tanstack/react-router';
import { consoleSections } from './features.ts';
import { ThemeToggle } from './theme-toggle.tsx';

export function Shell() {
  return (
    <div className="shell">
      <header className="shell-header">
        <span className="brand">Auditorium</span>
        <ThemeToggle />
      </header>
      <nav className="shell-nav" aria-label="Sections">
        <ul>
          {consoleSections.map((section) => (
            <li key={section.path}>
              <Link
                to={section.path}
                activeOptions={{ exact: section.path === '/' }}
                activeProps={{ 'aria-current': 'page' }}
              >
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="shell-main">
        <Outlet />
      </main>
    </div>
  );
}
