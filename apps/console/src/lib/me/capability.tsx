import type { CapabilityName } from './get-me.ts';
import { useMe } from './get-me.ts';

export interface CapabilityState {
  allowed: boolean;
  /** Why not, in the cluster's words, when not allowed. */
  reason?: string;
}

/**
 * Whether the signed-in user may do one console action. Use it to disable the control and show the reason
 * beside it (`DisabledReason`) and in its `title`, rather than letting the user try and fail.
 */
export function useCapability(name: CapabilityName): CapabilityState {
  const capability = useMe().capabilities[name];
  if (!capability) return { allowed: false, reason: `The server did not say whether you may ${name}.` };
  return capability;
}

/** The inline text beside a disabled control; link it with the control's `aria-describedby={id}`. */
export function DisabledReason({ capability, id }: { capability: CapabilityState; id?: string }) {
  if (capability.allowed) return null;
  return (
    <span id={id} className="disabled-reason">
      {capability.reason ?? 'Not allowed for your account.'}
    </span>
  );
}
