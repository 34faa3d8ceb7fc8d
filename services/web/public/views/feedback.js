// 待回访: completed petitions waiting for the follow-up call (state awaitingFeedback); the rating
// is recorded on the petition view, where the resident's number can be revealed for the call.
import { renderWaitingList } from './waiting-list.js';

export const renderFeedback = (root, ctx) => renderWaitingList(root, ctx, {
  id: 'feedback', heading: 'feedback.heading', lead: 'feedback.lead', listTitle: 'feedback.list', none: 'feedback.none', state: 'awaitingFeedback',
  anonymousNote: 'feedback.anonymous',
});
