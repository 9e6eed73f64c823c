import { createContext } from '@lit/context';
import type { ParleyApi } from './api/api-client.js';
import type { SessionState } from './state/session-state.js';
import type { ThreadState } from './state/thread-state.js';

/** The REST client of the widget's server. */
export const apiContext = createContext<ParleyApi>(Symbol('parley-api'));
/** Who is signed in, and sign-in/out. */
export const sessionContext = createContext<SessionState>(Symbol('parley-session'));
/** The page's thread: comments, count, live state and actions. */
export const threadContext = createContext<ThreadState>(Symbol('parley-thread'));
