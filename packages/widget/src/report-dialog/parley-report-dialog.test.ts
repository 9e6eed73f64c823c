import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { Me } from '@parley/protocol';
import type { ParleyCommentReportedEvent } from '../events.js';
import {
  accessibleName,
  buttonNamed,
  byRole,
  deepActiveElement,
  deepQueryAll,
  dialogNamed,
  press,
  radioNamed,
  readText,
  textboxNamed,
  typeInto,
} from '../test-support/dom.js';
import { FakeApi, FakeRealtime, serverError } from '../test-support/fake-api.js';
import { rateLimitedError } from '../test-support/rate-limited.js';
import { commentLabelled, renderWidget, settled, articleLabels } from '../test-support/widget.js';
import type { ParleyReportDialog } from './parley-report-dialog.js';

describe('<parley-report-dialog>', () => {
  let api: FakeApi;
  let ada: Me;
  let grace: Me;

  beforeEach(() => {
    localStorage.clear();
    api = new FakeApi();
    ada = api.addUser({ name: 'Ada', email: 'ada@example.com' });
    grace = api.addUser({ name: 'Grace', email: 'grace@example.com' });
  });

  /** Ada, signed in, opens the report dialog on Grace's comment. */
  async function openReport(realtime = new FakeRealtime()) {
    const reported = api.addComment({ author: grace, body: 'Buy cheap watches' });
    api.seedSession(ada);
    const widget = await renderWidget(api, realtime);
    const comment = commentLabelled(widget, 'Comment by Grace');
    const opener = buttonNamed(comment, 'Report')!;
    opener.click();
    // One dialog for the widget, outside the comment: a report can hide the comment it came from.
    await waitUntil(() => dialogNamed(widget, 'Report comment') !== null, 'the report dialog should open');
    await settled(widget);
    const dialog = dialogNamed(widget, 'Report comment')!;
    const element = widget.shadowRoot!.querySelector<ParleyReportDialog>('parley-report-dialog')!;
    return { widget, comment, opener, dialog, element, reported };
  }

  it('opens a dialog named "Report comment" with the five reasons, details and Send report', async () => {
    const { dialog } = await openReport();

    const radios = deepQueryAll<HTMLInputElement>(dialog, 'input[type="radio"]');
    expect(radios.map(accessibleName)).to.deep.equal(['Spam', 'Harassment or hate', 'Off-topic', 'Illegal content', 'Other']);
    expect(radios.some((radio) => radio.checked), 'none chosen yet').to.equal(false);
    expect(readText(dialog.querySelector('legend'))).to.equal('Why are you reporting it?');
    expect(textboxNamed(dialog, 'Details (optional)')).to.exist;
    expect(buttonNamed(dialog, 'Send report')?.type).to.equal('submit');
    expect(buttonNamed(dialog, 'Cancel')).to.exist;
    expect(deepActiveElement() === radios[0], 'the first reason has focus').to.equal(true);
  });

  it('sends the reason and details, thanks the reader and fires parley-comment-reported', async () => {
    const { widget, dialog, opener, reported } = await openReport();

    radioNamed(dialog, 'Harassment or hate')!.click();
    typeInto(textboxNamed(dialog, 'Details (optional)')!, '  Insults in the second line  ');
    await settled(widget);
    const event = oneEvent<ParleyCommentReportedEvent>(widget, 'parley-comment-reported');
    buttonNamed(dialog, 'Send report')!.click();

    const { commentId, reason } = await event;
    expect([commentId, reason]).to.deep.equal([reported.id, 'harassment']);
    expect(api.callsTo('reportComment').map((call) => [call.params.id, call.body])).to.deep.equal([
      [reported.id, { site: 'default', reason: 'harassment', details: 'Insults in the second line' }],
    ]);
    await waitUntil(() => buttonNamed(dialog, 'Close') !== null, 'the thanks should show');
    expect(byRole(dialog, 'status').map(readText)).to.deep.equal(['Thanks, moderators will review this comment.']);
    expect(buttonNamed(dialog, 'Send report')).to.equal(null);
    expect(deepActiveElement() === buttonNamed(dialog, 'Close'), 'Close has focus').to.equal(true);

    buttonNamed(dialog, 'Close')!.click();
    await settled(widget);
    expect(dialog.open).to.equal(false);
    // The dialog's close event, which returns focus, comes a task later.
    await waitUntil(() => deepActiveElement() === opener, 'focus should go back to Report');
  });

  it('asks for a reason before sending', async () => {
    const { widget, dialog } = await openReport();

    buttonNamed(dialog, 'Send report')!.click();
    await settled(widget);

    expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['Choose a reason.']);
    expect(api.callsTo('reportComment')).to.be.empty;
  });

  it('still thanks the reader when their report hides the comment, live', async () => {
    const realtime = new FakeRealtime();
    const { widget, dialog, reported } = await openReport(realtime);
    radioNamed(dialog, 'Spam')!.click();
    await settled(widget);
    buttonNamed(dialog, 'Send report')!.click();
    await waitUntil(() => api.callsTo('reportComment').length === 1);
    // The report reached the threshold: the server hides the comment from every reader.
    const thread = await api.call('listComments', { query: { site: 'default', page: '/p' } });
    realtime.push({ type: 'comment:deleted', site: 'default', page: '/p', seq: thread.seq + 1, count: 0, id: reported.id, mode: 'removed' });
    await settled(widget);

    expect(articleLabels(widget)).to.not.include('Comment by Grace');
    await waitUntil(() => buttonNamed(dialog, 'Close') !== null, 'the thanks should show');
    expect(dialog.isConnected, 'the dialog is still on the page').to.equal(true);
    expect(dialogNamed(widget, 'Report comment')).to.equal(dialog);
    expect(byRole(dialog, 'status').map(readText)).to.deep.equal(['Thanks, moderators will review this comment.']);
  });

  it('says inside the dialog that the reader already reported the comment', async () => {
    const { widget, dialog, reported } = await openReport();
    const token = JSON.parse(localStorage.getItem(`parley:session:${api.server}`)!).token as string;
    await api.call('reportComment', { token, params: { id: reported.id }, body: { site: 'default', reason: 'spam' } });

    radioNamed(dialog, 'Spam')!.click();
    await settled(widget);
    buttonNamed(dialog, 'Send report')!.click();

    await waitUntil(() => byRole(dialog, 'alert').length > 0, 'the refusal should show');
    expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['You already reported this comment.']);
    expect(dialog.open).to.equal(true);
    expect(buttonNamed(dialog, 'Send report'), 'the form stays').to.exist;
  });

  it('shows other failures the same way', async () => {
    const { widget, dialog } = await openReport();
    api.failNext('reportComment', serverError('network_error'));

    radioNamed(dialog, 'Other')!.click();
    await settled(widget);
    buttonNamed(dialog, 'Send report')!.click();

    await waitUntil(() => byRole(dialog, 'alert').length > 0, 'the failure should show');
    expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(["Can't reach the comments server."]);
  });

  it('says when to try again after too many reports', async () => {
    const { widget, dialog } = await openReport();
    api.failNext('reportComment', await rateLimitedError('Too many reports in a short time. Try again in 1 hour.', 3600, 'reportComment'));

    radioNamed(dialog, 'Spam')!.click();
    await settled(widget);
    buttonNamed(dialog, 'Send report')!.click();

    await waitUntil(() => byRole(dialog, 'alert').length > 0, 'the refusal should show');
    expect(byRole(dialog, 'alert').map(readText)).to.deep.equal(['Too many reports in a short time. Try again in 1 hour.']);
    expect(dialog.open, 'the dialog stays for a later try').to.equal(true);
  });

  it('closes on Escape without sending, and focus goes back to Report', async () => {
    const { widget, dialog, opener } = await openReport();

    await press('Escape');
    await settled(widget);

    expect(dialog.open).to.equal(false);
    await waitUntil(() => deepActiveElement() === opener, 'focus should go back to Report');
    expect(api.callsTo('reportComment')).to.be.empty;
  });

  it('opens empty again after a report was sent', async () => {
    const { widget, comment, dialog, opener } = await openReport();
    radioNamed(dialog, 'Spam')!.click();
    await settled(widget);
    buttonNamed(dialog, 'Send report')!.click();
    await waitUntil(() => buttonNamed(dialog, 'Close') !== null);
    buttonNamed(dialog, 'Close')!.click();
    await settled(widget);

    opener.click();
    await waitUntil(() => dialogNamed(widget, 'Report comment') !== null);
    await settled(widget);

    expect(buttonNamed(dialog, 'Send report')).to.exist;
    expect(radioNamed(dialog, 'Spam')!.checked).to.equal(false);
  });

  it('keeps Tab inside the dialog, the chosen reason being one stop', async () => {
    const { widget, dialog } = await openReport();
    const offTopic = radioNamed(dialog, 'Off-topic')!;
    offTopic.click();
    offTopic.focus();
    await settled(widget);

    await press('Tab', 'Shift');
    expect(deepActiveElement() === buttonNamed(dialog, 'Cancel'), 'from the reasons back to Cancel').to.equal(true);

    await press('Tab');
    expect(deepActiveElement() === offTopic, 'and on to the chosen reason').to.equal(true);
  });

  it('passes an accessibility audit while open', async () => {
    const { element } = await openReport();

    await expect(element).to.be.accessible();
  });
});
