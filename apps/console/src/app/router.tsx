import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import {
  crdResourcesSearchSchema,
  crdSearchSchema,
  resourceSearchSchema,
} from '../features/crds/routes/crds-search.ts';
import { liveSearchSchema } from '../features/live/routes/live-search.ts';
import { rulesSearchSchema } from '../features/rules/routes/rules-search.ts';
import { searchSearchSchema } from '../features/search/routes/search-search.ts';
import { signInSearchSchema } from '../features/session/routes/sign-in-search.ts';
import { settingsSearchSchema } from '../features/settings/routes/settings-search.ts';
import { setupSearchSchema } from '../features/setup/routes/setup-search.ts';
import { isUnauthorized } from '../lib/api-error.ts';
import { meQueries } from '../lib/me/get-me.ts';
import { createQueryClient } from './query-client.ts';
import { RouteError } from './route-error.tsx';
import { Shell } from './shell.tsx';

/*
 * Pages load lazily (`lazyRouteComponent`), so the first load carries the shell and the page it opens, not
 * every feature (the first-load budget is 300 KB of gzipped JS). Search schemas stay eager: they are small
 * and the router needs them to read the URL before a page loads.
 */

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet, errorComponent: RouteError });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: signInSearchSchema,
  component: lazyRouteComponent(() => import('../features/session/routes/sign-in-page.tsx'), 'SignInPage'),
});

/**
 * Every page but sign-in hangs under this pathless route: it renders the shell and makes sure there is a
 * session (`/api/me` answers) before any page loads. Add feature routes with `getParentRoute: () => shellRoute`.
 */
const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'shell',
  component: Shell,
  errorComponent: RouteError,
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData(meQueries.current());
    } catch (error) {
      if (isUnauthorized(error)) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
      throw error;
    }
  },
});

const overviewRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/',
  component: lazyRouteComponent(() => import('../features/overview/routes/overview-page.tsx'), 'OverviewPage'),
});

const liveRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/live',
  validateSearch: liveSearchSchema,
  component: lazyRouteComponent(() => import('../features/live/routes/live-page.tsx'), 'LivePage'),
});

const searchRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/search',
  validateSearch: searchSearchSchema,
  component: lazyRouteComponent(() => import('../features/search/routes/search-page.tsx'), 'SearchPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/settings',
  validateSearch: settingsSearchSchema,
  component: lazyRouteComponent(() => import('../features/settings/routes/settings-page.tsx'), 'SettingsPage'),
});

const setupRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/setup',
  validateSearch: setupSearchSchema,
  component: lazyRouteComponent(() => import('../features/setup/routes/setup-page.tsx'), 'SetupPage'),
});

const rulesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/rules',
  validateSearch: rulesSearchSchema,
  component: lazyRouteComponent(() => import('../features/rules/routes/rules-page.tsx'), 'RulesPage'),
});

// A CRD's pages are siblings, not nested: each is a whole page (search, a CRD's objects, one object's editor).
const crdsRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/crds',
  validateSearch: crdSearchSchema,
  component: lazyRouteComponent(() => import('../features/crds/routes/crd-search-page.tsx'), 'CrdSearchPage'),
});

const crdResourcesRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/crds/$name',
  validateSearch: crdResourcesSearchSchema,
  component: lazyRouteComponent(() => import('../features/crds/routes/crd-resources-page.tsx'), 'CrdResourcesPage'),
});

const crdResourceRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: '/crds/$name/objects/$object',
  validateSearch: resourceSearchSchema,
  component: lazyRouteComponent(() => import('../features/crds/routes/resource-page.tsx'), 'ResourcePage'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  shellRoute.addChildren([
    overviewRoute,
    liveRoute,
    searchRoute,
    settingsRoute,
    setupRoute,
    rulesRoute,
    crdsRoute,
    crdResourcesRoute,
    crdResourceRoute,
  ]),
]);

export const queryClient = createQueryClient(() => {
  const { location } = router.state;
  if (location.pathname === '/sign-in') return;
  void router.navigate({ to: '/sign-in', search: { redirect: location.href } }).then(() => queryClient.clear());
});

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  // The query cache decides freshness; the router only asks it.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
