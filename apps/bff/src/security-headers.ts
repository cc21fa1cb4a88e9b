import { secureHeaders } from 'hono/secure-headers';

/**
 * A strict CSP: no inline script anywhere. Styles allow 'unsafe-inline' because Monaco sets inline styles
 * on its DOM (without it Chromium logs dozens of violations and the editor mis-renders); workers come from
 * our own origin as Vite-built files, so no blob: is needed.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      workerSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
    strictTransportSecurity: false,
  });
