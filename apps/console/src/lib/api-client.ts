import type { AppType } from '@auditorium/bff';
import { hc } from 'hono/client';

/** The one typed client of the BFF; features call it only from their api/ modules. */
export const api = hc<AppType>('/api');
