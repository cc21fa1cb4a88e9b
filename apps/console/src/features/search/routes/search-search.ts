import { z } from 'zod';
import {
  codeParam,
  eventKeyParam,
  levelParam,
  stageParam,
  textParam,
} from '../../../lib/event-filters/filter-schema.ts';

/** The preset ranges, "last …", as KubeSphere's time token offers them. */
export const rangePresets = ['15m', '1h', '6h', '12h', '24h', '7d', '30d'] as const;
export type RangePreset = (typeof rangePresets)[number];

const instantParam = z.coerce.number().int().nonnegative().optional().catch(undefined);

/**
 * The archive search's URL: KubeSphere's eight keys (workspace, project, resource type, resource name,
 * verb, status code, operator, source IP) with exact or fuzzy mode, level and stage, the time range (a
 * preset, or `start`/`end` in Unix ms, which win when set) and the open event.
 */
export const searchSearchSchema = z.object({
  mode: z.enum(['exact', 'fuzzy']).optional().catch(undefined),
  workspace: textParam,
  namespace: textParam,
  resource: textParam,
  name: textParam,
  verb: textParam,
  code: codeParam,
  user: textParam,
  sourceIp: textParam,
  level: levelParam,
  stage: stageParam,
  range: z.enum(rangePresets).optional().catch(undefined),
  start: instantParam,
  end: instantParam,
  event: eventKeyParam,
});

export type SearchSearch = z.output<typeof searchSearchSchema>;
