/**
 * A labelled multi-line text box for a comment, reason or note, limited to the server's 500 characters for those.
 */
export function TextField({
  id,
  label,
  value,
  onInput,
  required,
}: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        required={required}
        maxLength={500}
        value={value}
        onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)}
      />
    </>
  );
}
