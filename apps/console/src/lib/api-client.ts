import type { AppType } from '@auditorium/bff';
import { hc } from 'hono/client';

/**
 * The one typed client of the BFF; features call it only from their api/ modules. The base is absolute so
 * that `$url()` (EventSource and download links) works as well as the fetch methods. The session cookie is
 * HttpOnly and same-origin, so plain same-origin fetches carry it; no token is ever visible to this code.
 */
export const api = hc<AppType>(new URL('/api', window.location.origin).href);
