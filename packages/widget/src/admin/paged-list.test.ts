import { expect } from '@open-wc/testing';
import { PagedList, type Page, type PageRequest } from './paged-list.js';

interface Row {
  id: string;
}

/** A list over `rows` whose reads wait until the test answers them. */
function listOver(rows: () => Row[]) {
  const requests: { request: PageRequest; answer: () => void }[] = [];
  const list = new PagedList<Row>({
    idOf: (row) => row.id,
    onChange: () => undefined,
    onError: () => undefined,
    pageSize: 2,
    fetchPage: (request) =>
      new Promise<Page<Row>>((resolve) => {
        requests.push({
          request,
          answer: () => {
            const all = rows();
            const start = request.cursor ? all.findIndex((row) => row.id === request.cursor) + 1 : 0;
            const items = all.slice(start, start + request.limit);
            resolve({ items, nextCursor: start + request.limit < all.length ? items[items.length - 1]!.id : null });
          },
        });
      }),
  });
  return { list, requests };
}

const ids = (list: PagedList<Row>) => list.items.map((row) => row.id);

describe('PagedList', () => {
  it('refreshes as many items as are shown, so loaded pages stay', async () => {
    let rows = [{ id: '5' }, { id: '4' }, { id: '3' }, { id: '2' }, { id: '1' }];
    const { list, requests } = listOver(() => rows);
    const load = list.load();
    requests[0]!.answer();
    await load;
    const more = list.loadMore();
    requests[1]!.answer();
    await more;
    expect(ids(list)).to.deep.equal(['5', '4', '3', '2']);

    rows = [{ id: '6' }, ...rows];
    const refresh = list.refresh();
    requests[2]!.answer();
    await refresh;

    expect(requests[2]!.request.limit).to.equal(4);
    expect(ids(list)).to.deep.equal(['6', '5', '4', '3']);
    expect(list.nextCursor).to.equal('3');
  });

  it('keeps an item taken out while a refresh was on its way out of that refresh', async () => {
    const rows = [{ id: '2' }, { id: '1' }];
    const { list, requests } = listOver(() => rows);
    const load = list.load();
    requests[0]!.answer();
    await load;

    const refresh = list.refresh();
    list.remove('2');
    requests[1]!.answer();
    await refresh;

    expect(ids(list)).to.deep.equal(['1']);
  });

  it('folds refreshes asked for while one is on its way into one more', async () => {
    const rows = [{ id: '1' }];
    const { list, requests } = listOver(() => rows);
    const load = list.load();
    requests[0]!.answer();
    await load;

    const first = list.refresh();
    void list.refresh();
    void list.refresh();
    requests[1]!.answer();
    await new Promise((resolve) => setTimeout(resolve));
    requests[2]!.answer();
    await first;

    expect(requests).to.have.length(3);
  });

  it('drops a page of Load more that a refresh overtook', async () => {
    const rows = [{ id: '3' }, { id: '2' }, { id: '1' }];
    const { list, requests } = listOver(() => rows);
    const load = list.load();
    requests[0]!.answer();
    await load;

    const more = list.loadMore();
    const refresh = list.refresh();
    requests[1]!.answer();
    requests[2]!.answer();
    await Promise.all([more, refresh]);

    expect(ids(list)).to.deep.equal(['3', '2']);
    expect(list.loadingMore).to.equal(false);
  });
});
