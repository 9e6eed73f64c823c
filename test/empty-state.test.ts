import { describe, expect, it } from 'vitest';
import { setupJourney } from './helpers/journey.js';
import { signInButton, widgetText } from './helpers/widget.js';

/** The comment area of the seed page, as a signed-out reader sees it (see /work/shared/seed/README.md). */
const SEED_LINES = [
  'Sign in to report, block, or manage your own posts.',
  'Comments',
  'No comments yet.',
  'Sign in to comment.',
];

const journey = setupJourney();

describe('the Velotip article, signed out, before anyone has commented', () => {
  it("shows the seed page's four comment-area lines, in order, and a Sign in button", async () => {
    const { page } = await journey.reader('reader');
    await page.getByText('No comments yet.', { exact: true }).waitFor();

    const lines = await widgetText(page);
    expect(lines.filter((line) => SEED_LINES.includes(line)), `widget text: ${JSON.stringify(lines)}`).toEqual(SEED_LINES);
    await signInButton(page).waitFor();
  });

  it('shows the article above the widget: title and byline', async () => {
    const { page } = await journey.reader('reader');

    await page
      .getByRole('heading', {
        level: 1,
        name: 'OpenAI and Microsoft Overhaul Exclusive Partnership, Freeing AI Models to Sell on AWS and Google Cloud',
      })
      .waitFor();
    await page.getByText('Velotip · 2026-04-28', { exact: true }).waitFor();
  });
});
