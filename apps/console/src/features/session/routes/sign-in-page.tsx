import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { ThemeToggle } from '../../../lib/theme-toggle.tsx';
import { useSession } from '../api/get-session.ts';
import { useSignIn } from '../api/sign-in.ts';
import { SignInForm } from '../components/sign-in-form.tsx';
import '../session.css';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const session = useSession();
  const signIn = useSignIn();
  const target = redirect ?? '/';

  return (
    <div className="sign-in-page">
      <main className="sign-in-card" aria-labelledby="page-title">
        <div className="sign-in-top">
          <span className="brand">Auditorium</span>
          <ThemeToggle />
        </div>
        <h1 id="page-title">Sign in</h1>
        {redirect ? <p className="muted">Sign in to continue to {redirect}.</p> : null}
        {session.data?.signedIn ? (
          <p className="notice">
            You are signed in as <strong>{session.data.user?.username}</strong>.{' '}
            <Link to={target}>Continue to the console</Link>, or sign in below as someone else.
          </p>
        ) : null}
        {session.data?.signInLinks ? (
          <p className="notice">
            This server runs on the local cluster: the terminal where <code>npm start</code> runs printed a one-time
            sign-in link. Open it to sign in with the kubeconfig's identity, or paste a user's token below.
          </p>
        ) : null}
        <SignInForm
          pending={signIn.isPending}
          error={signIn.error}
          onSubmit={(token) =>
            signIn.mutate(token, {
              onSuccess: () => void navigate({ href: target, replace: true }),
            })
          }
        />
      </main>
    </div>
  );
}
