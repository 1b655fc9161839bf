// Every page of the demo (a module): registers the service worker (once it is installed, the
// site works offline), keeps the basket in localStorage and shows its size in the header.

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error) => {
    console.warn('The service worker was not registered; the site will not work offline.', error);
  });
}

/** What the shop sells: price in pence. */
const PRODUCTS = {
  huila: { name: 'Huila, Colombia', notes: 'Red apple, panela, cocoa', price: 1150 },
  yirgacheffe: { name: 'Yirgacheffe, Ethiopia', notes: 'Jasmine, bergamot, peach', price: 1290 },
  cerrado: { name: 'Cerrado, Brazil', notes: 'Hazelnut, milk chocolate', price: 990 },
  kirinyaga: { name: 'Kirinyaga, Kenya', notes: 'Blackcurrant, grapefruit', price: 1390 },
};

const BASKET_KEY = 'roasters:basket';
const ORDERS_KEY = 'roasters:orders';

function read(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the basket lasts for this page only.
  }
}

export const shop = {
  PRODUCTS,
  /** { [product id]: quantity } */
  basket: () => read(BASKET_KEY, {}),
  setBasket(basket) {
    write(BASKET_KEY, basket);
    showBasketSize();
  },
  add(id, quantity = 1) {
    const basket = shop.basket();
    basket[id] = Math.max(0, (basket[id] ?? 0) + quantity);
    if (basket[id] === 0) delete basket[id];
    shop.setBasket(basket);
  },
  /** [{ id, date, items: { [product id]: quantity }, total }], newest first */
  orders: () => read(ORDERS_KEY, []),
  placeOrder() {
    const items = shop.basket();
    const order = {
      id: `TR-${Date.now().toString(36).toUpperCase()}`,
      date: new Date().toISOString(),
      items,
      total: shop.total(items),
    };
    write(ORDERS_KEY, [order, ...shop.orders()]);
    shop.setBasket({});
    return order;
  },
  total: (items) =>
    Object.entries(items).reduce((sum, [id, n]) => sum + (PRODUCTS[id]?.price ?? 0) * n, 0),
  price: (pence) => `£${(pence / 100).toFixed(2)}`,
};

/** The basket's size in the header, and how many of each product are in it on its card. */
function showBasketSize() {
  const basket = shop.basket();
  const size = Object.values(basket).reduce((sum, n) => sum + n, 0);
  for (const badge of document.querySelectorAll('.basket-size')) {
    badge.textContent = String(size);
    badge.hidden = size === 0;
  }
  for (const note of document.querySelectorAll('[data-in-basket]')) {
    const n = basket[note.dataset.inBasket] ?? 0;
    note.textContent = n === 0 ? '' : `${n} in your basket`;
  }
}

// Buttons with data-add-to-basket="<product id>" (they also carry tabstream's event attributes).
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element && event.target.closest('[data-add-to-basket]');
  if (!button) return;
  shop.add(button.dataset.addToBasket);
});

// Downloads from this site (a[download]) are fetched by the page, so the service worker answers
// them and they work offline too: Chromium's own downloads go to the network, service worker or
// not. The file is then saved from a Blob, by a link that is never in the document (so tabstream
// sees the visitor's click alone).
document.addEventListener('click', async (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest('a[href][download]') : null;
  if (!link || link.origin !== location.origin) return;
  event.preventDefault();
  const save = document.createElement('a');
  save.download = link.download || link.pathname.split('/').pop();
  try {
    const response = await fetch(link.href);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    save.href = URL.createObjectURL(await response.blob());
    save.click();
    setTimeout(() => URL.revokeObjectURL(save.href), 60_000);
  } catch (error) {
    console.warn(`Could not fetch ${link.href}; downloading it directly.`, error);
    save.href = link.href;
    save.click();
  }
});

// Another tab changed the basket.
addEventListener('storage', (event) => {
  if (event.key === BASKET_KEY) showBasketSize();
});

showBasketSize();
