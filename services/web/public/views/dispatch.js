// 人工派单: the petitions no routing rule matched (state awaitingDispatch), plus a tracking-number
// lookup; dispatching itself happens on the petition view.
import { renderWaitingList } from './waiting-list.js';

export const renderDispatch = (root, ctx) => renderWaitingList(root, ctx, {
  id: 'dispatch', heading: 'dispatch.heading', lead: 'dispatch.lead', listTitle: 'dispatch.recent', none: 'dispatch.none', state: 'awaitingDispatch',
});
