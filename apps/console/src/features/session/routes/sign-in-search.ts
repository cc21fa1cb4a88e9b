import { z } from 'zod';

/** A path inside this console; anything else (another origin, `//host`, `javascript:`) is dropped. */
const sameOriginPath = z
  .string()
  .refine((path) => path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\'))
  .refine((path) => !path.startsWith('/sign-in'));

export const signInSearchSchema = z.object({
  /** Where to go after signing in: the page the user was sent away from. */
  redirect: sameOriginPath.optional().catch(undefined),
});

export type SignInSearch = z.output<typeof signInSearchSchema>;
