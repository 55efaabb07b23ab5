// Change Data Capture for the Salesforce connector: a subscription to change events over the
// Streaming API (jsforce's streaming client and Replay extension) and the events it yields.
export { parseChangeEvent, CHANGE_TYPES, type ChangeEvent, type ChangeType } from './parse.js';
export {
  ALL_CHANGE_EVENTS,
  REPLAY_ALL,
  REPLAY_NEW,
  createChangeEventSubscription,
  type ChangeEventSubscription,
  type ChangeEventSubscriptionOptions,
  type ChangeStreamItem,
} from './subscription.js';
