import { expect } from '@open-wc/testing';
import { RenderPacer } from './render-pacer.js';

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const never = () => expect.fail('nothing should have to wait');

describe('RenderPacer', () => {
  it('lets lists within the allowance render all their items at once', () => {
    const pacer = new RenderPacer(10);

    expect(pacer.count(0, 4, never)).to.equal(4);
    expect(pacer.count(0, 6, never)).to.equal(6);
    expect(pacer.count(6, 6, never), 'a list already complete needs nothing').to.equal(6);
  });

  it('shares one allowance between the lists of a task and calls back those that wait on the next frame, once each', async () => {
    const pacer = new RenderPacer(10);
    const resumed: string[] = [];
    const first = () => resumed.push('first');
    const second = () => resumed.push('second');

    expect(pacer.count(0, 8, first)).to.equal(8);
    expect(pacer.count(0, 5, second)).to.equal(2);
    expect(pacer.count(2, 5, second), 'asking again in the same task gets nothing more').to.equal(2);
    expect(resumed, 'nobody is called back before the frame').to.deep.equal([]);

    await nextFrame();
    expect(resumed).to.deep.equal(['second']);
    expect(pacer.count(2, 5, second), 'the frame brings a fresh allowance').to.equal(5);
  });

  it('calls back only the lists that a frame has a share for, in the order they asked', async () => {
    const pacer = new RenderPacer(3);
    const resumed: string[] = [];
    const second = () => resumed.push('second');
    const third = () => resumed.push('third');

    expect(pacer.count(0, 3, never)).to.equal(3);
    expect(pacer.count(0, 3, second)).to.equal(0);
    expect(pacer.count(0, 3, third)).to.equal(0);

    await nextFrame();
    expect(resumed, 'the first frame has a share for the second list only').to.deep.equal(['second']);
    expect(pacer.count(0, 3, second)).to.equal(3);

    await nextFrame();
    expect(resumed).to.deep.equal(['second', 'third']);
    expect(pacer.count(0, 3, third)).to.equal(3);
  });

  it('gives the next task a fresh allowance', async () => {
    const pacer = new RenderPacer(3);
    const resumed: string[] = [];

    expect(pacer.count(0, 3, never)).to.equal(3);
    await nextTask();
    expect(pacer.count(0, 5, () => resumed.push('list'))).to.equal(3);
  });

  it('follows a list that shrank', () => {
    const pacer = new RenderPacer(10);

    expect(pacer.count(8, 3, never)).to.equal(3);
  });
});
