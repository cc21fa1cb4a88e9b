import { z } from 'zod';
import {
  codeParam,
  eventKeyParam,
  levelParam,
  sourceParam,
  stageParam,
  textParam,
} from '../../../lib/event-filters/filter-schema.ts';

/** The live view's URL: its filters (sent to the stream as they are) and the open event. */
export const liveSearchSchema = z.object({
  verb: textParam,
  user: textParam,
  namespace: textParam,
  workspace: textParam,
  resource: textParam,
  name: textParam,
  code: codeParam,
  level: levelParam,
  stage: stageParam,
  source: sourceParam,
  q: textParam,
  event: eventKeyParam,
});

export type LiveSearch = z.output<typeof liveSearchSchema>;
export type LiveFilters = Omit<LiveSearch, 'event'>;

export function liveFilters({ event: _event, ...filters }: LiveSearch): LiveFilters {
  return filters;
}
