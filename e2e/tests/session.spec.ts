import { consoleOrigin, expect, signIn, test, tokenOf } from '../fixtures.ts';

test('a missing session sends every page to sign-in, which returns to it afterwards', async ({ page }, testInfo) => {
  await page.goto('/live?namespace=demo&verb=create');
  await expect(page).toHaveURL(/\/sign-in\?redirect=/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('sign-in.png'), fullPage: true });

  await page.getByLabel('Bearer token').fill(tokenOf('admin'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/live\?/);
  expect(new URL(page.url()).searchParams.get('namespace')).toBe('demo');
  expect(new URL(page.url()).searchParams.get('verb')).toBe('create');
  await expect(page.getByText('Signed in as admin')).toBeVisible();
});

test('a wrong token is refused with the server’s Status message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Bearer token').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert').filter({ hasText: '401' });
  await expect(alert).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  // The form forgets what was typed.
  await expect(page.getByLabel('Bearer token')).toHaveValue('');
});

test('the browser keeps only an HttpOnly SameSite=Strict cookie, never the token', async ({ page, context }) => {
  await signIn(page, 'admin', 'form');
  const token = tokenOf('admin');
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === 'auditorium_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(session?.value).not.toContain(token);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
  expect(stored).not.toContain(token);
  expect(stored).not.toContain('auditorium_session');
});

test('signing out ends the session on the server and returns to sign-in', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/');
  await expect(page.getByText('Signed in as viewer')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  const me = await page.request.get('/api/me');
  expect(me.status()).toBe(401);
  await page.goto('/search');
  await expect(page).toHaveURL(/\/sign-in\?redirect=/);
});

test('a session that ends while a page is open sends the user to sign-in on the next request', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/search');
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  // Sign out behind the page's back, as another tab or an expiry would.
  const out = await page.request.delete('/api/session', { headers: { Origin: consoleOrigin } });
  expect(out.ok()).toBe(true);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page).toHaveURL(/\/sign-in\?redirect=%2Fsearch/);
});
