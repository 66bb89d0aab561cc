import type { Event as CoreEvent } from 'kubernetes-types/core/v1.d.ts';
import type { Event as EventsV1Event } from 'kubernetes-types/events/v1.d.ts';
import type { Kind } from './index.ts';

/** An Event as either API serves it: core/v1's fields, and events.k8s.io/v1's `regarding` and `note`. */
export type EventObject = Kind<CoreEvent> & Partial<Pick<EventsV1Event, 'regarding' | 'note'>>;
