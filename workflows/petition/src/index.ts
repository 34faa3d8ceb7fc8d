export { petitionMachineV1 } from './petition.v1.js';
export {
  petitionMachineV2, MAX_REDOS, MAX_RETURNS, PETITION_STATES, requestBlocker,
  type PetitionContextV2, type PetitionEventV2, type PetitionIntentsV2, type NotificationAudienceV2,
} from './petition.v2.js';
export {
  applyPetitionEvent, startPetition, replayPetition, CURRENT_PETITION_MACHINE_VERSION, TIMER_EVENTS, TIMER_EVENT_FOR_KIND,
  type StoredSnapshot, type Applied, type RecordedEvent, type PetitionEvent, type PetitionInput,
  type PetitionContext, type PetitionIntent, type TimerEventType,
} from './engine.js';
