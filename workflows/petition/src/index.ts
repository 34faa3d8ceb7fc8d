export {
  petitionMachineV1, TIMER_EVENTS, INTENT_TYPES,
  type PetitionContext, type PetitionEvent, type PetitionEventType, type PetitionInput,
  type PetitionIntent, type PetitionIntents, type TimerEventType, type NotificationAudience,
} from './machine.js';
export { applyPetitionEvent, startPetition, CURRENT_PETITION_MACHINE_VERSION, type StoredSnapshot, type Applied } from './engine.js';
