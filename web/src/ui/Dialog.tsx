import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

/**
 * A modal dialog on the browser's own `<dialog>`: it traps focus, closes on Escape and gives focus back to what
 * opened it, with no script of ours for any of that.
 */
export function Dialog({
  title,
  onClose,
  children,
  role,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  role?: 'alertdialog';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      class="dialog"
      role={role}
      aria-labelledby="dialog-title"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id="dialog-title">{title}</h2>
        <button type="button" class="icon" onClick={onClose} aria-label={t('action.close')}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
