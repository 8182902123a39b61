/** Why the last action of a screen failed, announced at once to screen readers; nothing when it did not. */
export function Refusal({ reason }: { reason: string | undefined }) {
  return reason ? (
    <p class="alert" role="alert">
      {reason}
    </p>
  ) : null;
}
