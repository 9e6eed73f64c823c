import { createContext } from '@lit/context';
import type { ModerationState } from './moderation-state.js';

/** The moderator's view of one site, shared by `<parley-admin>` with its parts. */
export const moderationContext = createContext<ModerationState>(Symbol('parley-moderation'));
