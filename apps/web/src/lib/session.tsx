import type { MeResponse } from '@conecta/contracts';
import { createContext, useContext, type ReactNode } from 'react';

const SessionContext = createContext<MeResponse | null>(null);

/** The signed-in user for every feature; provided by the app layout once `/auth/me` answered. */
export function SessionProvider({
  me,
  children,
}: {
  me: MeResponse;
  children: ReactNode;
}): React.JSX.Element {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

export function useSession(): MeResponse | null {
  return useContext(SessionContext);
}

/** Admins manage chatbots, integrations and keys; agents read. */
export function useIsAdmin(): boolean {
  return useContext(SessionContext)?.user.role === 'admin';
}
