import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export type ToastTone = 'info' | 'error';
interface ToastItem {
  id: number;
  message: string;
  tone: ToastTone;
}
type Notify = (message: string, tone?: ToastTone) => void;

const ToastContext = createContext<Notify | null>(null);

/** Toasts in live regions: polite for news, assertive for errors. */
export function ToastProvider({
  children,
  dismissLabel,
  durationMs = 5000,
}: {
  children: ReactNode;
  dismissLabel: string;
  durationMs?: number;
}): React.JSX.Element {
  const [items, setItems] = useState<ToastItem[]>([]);
  const seq = useRef(0);
  const dismiss = useCallback(
    (id: number) => setItems((all) => all.filter((i) => i.id !== id)),
    [],
  );
  const notify = useCallback<Notify>(
    (message, tone = 'info') => {
      const id = ++seq.current;
      setItems((all) => [...all.slice(-3), { id, message, tone }]);
      setTimeout(() => dismiss(id), durationMs);
    },
    [dismiss, durationMs],
  );
  const render = (tone: ToastTone): React.JSX.Element[] =>
    items
      .filter((i) => i.tone === tone)
      .map((i) => (
        <div key={i.id} className={`toast toast-${i.tone}`}>
          <span>{i.message}</span>
          <button type="button" onClick={() => dismiss(i.id)} aria-label={dismissLabel}>
            ×
          </button>
        </div>
      ));
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts">
        <div role="status" aria-live="polite" className="stack-sm">
          {render('info')}
        </div>
        <div role="alert" aria-live="assertive" className="stack-sm">
          {render('error')}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  const v = useContext(ToastContext);
  if (!v) throw new Error('useToast must be used inside <ToastProvider>');
  return v;
}
