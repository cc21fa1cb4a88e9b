import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { OverviewPage } from '../features/overview/overview-page.tsx';
import { FeaturePlaceholder } from './feature-placeholder.tsx';
import { consoleSections } from './features.ts';
import { Shell } from './shell.tsx';

const rootRoute = createRootRoute({ component: Shell });

const overviewRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: OverviewPage });

const placeholderRoutes = consoleSections
  .filter((section) => section.path !== '/')
  .map((section) =>
    createRoute({
      getParentRoute: () => rootRoute,
      path: section.path,
      component: () => <FeaturePlaceholder section={section} />,
    }),
  );

const routeTree = rootRoute.addChildren([overviewRoute, ...placeholderRoutes]);

export const router = createRouter({ routeTree, defaultPreload: 'intent' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
