export {
  petitionMachineV1, TIMER_EVENTS, INTENT_TYPES,
  type PetitionContext, type PetitionEvent, type PetitionEventType, type PetitionInput,
  type PetitionIntent, type PetitionIntents, type TimerEventType, type NotificationAudience,
} from './petition.v1.js';
export {
  applyPetitionEvent, startPetition, replayPetition, CURRENT_PETITION_MACHINE_VERSION,
  type StoredSnapshot, type Applied, type RecordedEvent,
} from './engine.js';
