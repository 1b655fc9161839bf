// The shop: a single-page app with no framework. A router on history.pushState and popstate
// between four views (catalogue, basket, checkout, orders, and an order's page), each rendered
// with DOM calls. No network: the basket and the orders live in localStorage (js/site.js).
// tabstream counts each navigation as a page view, as it does a page load.

import { shop } from '/js/site.js';

const view = document.getElementById('view');

/** An element: h('p', { class: 'x', onclick }, 'text', child…). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

const link = (href, text, attributes = {}) => h('a', { href, ...attributes }, text);
const count = (items) => Object.values(items).reduce((sum, n) => sum + n, 0);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function catalogue() {
  const basket = shop.basket();
  return {
    title: 'Shop',
    body: [
      h('h1', {}, 'Shop'),
      h('p', { class: 'lede' }, 'This week’s beans, in 250 g bags. Free delivery over £25.'),
      h(
        'div',
        { class: 'cards products' },
        Object.entries(shop.PRODUCTS).map(([id, product]) =>
          h(
            'article',
            { class: 'card product' },
            h('div', { class: `swatch swatch-${id}`, 'aria-hidden': 'true' }),
            h('h3', {}, product.name),
            h('p', { class: 'notes' }, product.notes),
            h(
              'div',
              { class: 'buy' },
              h('span', { class: 'price' }, shop.price(product.price)),
              h(
                'button',
                {
                  type: 'button',
                  'data-add-to-basket': id,
                  'data-tabstream-event': 'add-to-basket',
                  'data-tabstream-prop-bean': id,
                  'data-tabstream-prop-from': 'shop',
                },
                'Add to basket',
              ),
            ),
            h(
              'p',
              { class: 'in-basket', 'data-in-basket': id, 'aria-live': 'polite' },
              basket[id] ? `${basket[id]} in your basket` : '',
            ),
          ),
        ),
      ),
      h('p', { class: 'actions' }, link('/shop/basket', 'Go to your basket', { class: 'button' })),
    ],
  };
}

function basketView() {
  const basket = shop.basket();
  const ids = Object.keys(basket);
  if (ids.length === 0)
    return {
      title: 'Your basket',
      body: [
        h('h1', {}, 'Your basket'),
        h(
          'div',
          { class: 'empty-state' },
          h('p', {}, 'Your basket is empty.'),
          link('/shop/', 'Browse the beans', { class: 'button' }),
        ),
      ],
    };
  // Re-renders the view, and keeps the focus on the button pressed (for keyboard users).
  const change = (id, by) => (event) => {
    const label = event.currentTarget.getAttribute('aria-label');
    shop.add(id, by);
    render();
    for (const button of view.querySelectorAll('button.step'))
      if (button.getAttribute('aria-label') === label) button.focus();
  };
  return {
    title: 'Your basket',
    body: [
      h('h1', {}, 'Your basket'),
      h(
        'table',
        { class: 'basket' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Coffee'),
            h('th', { scope: 'col' }, 'Quantity'),
            h('th', { scope: 'col', class: 'num' }, 'Price'),
          ),
        ),
        h(
          'tbody',
          {},
          ids.map((id) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, shop.PRODUCTS[id].name),
              h(
                'td',
                {},
                h(
                  'div',
                  { class: 'quantity' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'step',
                      'aria-label': `One less ${shop.PRODUCTS[id].name}`,
                      onclick: change(id, -1),
                    },
                    '−',
                  ),
                  h('output', {}, String(basket[id])),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'step',
                      'aria-label': `One more ${shop.PRODUCTS[id].name}`,
                      onclick: change(id, 1),
                    },
                    '+',
                  ),
                ),
              ),
              h('td', { class: 'num' }, shop.price(shop.PRODUCTS[id].price * basket[id])),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, 'Total'),
            h('td', {}, plural(count(basket), 'bag')),
            h('td', { class: 'num' }, shop.price(shop.total(basket))),
          ),
        ),
      ),
      h(
        'p',
        { class: 'actions' },
        link('/shop/checkout', 'Checkout', { class: 'button', id: 'to-checkout' }),
        link('/shop/', 'Keep shopping', { class: 'button secondary' }),
      ),
    ],
  };
}

function checkout() {
  const basket = shop.basket();
  if (count(basket) === 0) return basketView();
  const field = (label, name, attributes = {}) =>
    h('label', {}, label, h('input', { name, required: true, ...attributes }));
  const form = h(
    'form',
    {
      class: 'checkout',
      onsubmit: (event) => {
        event.preventDefault();
        const order = shop.placeOrder();
        navigate(`/shop/orders/${order.id}`);
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Delivery'),
      field('Name', 'name', { autocomplete: 'name' }),
      field('Email', 'email', { type: 'email', autocomplete: 'email' }),
      field('Address', 'address', { autocomplete: 'street-address' }),
    ),
    h(
      'fieldset',
      { 'data-tabstream-sensitive': true },
      h('legend', {}, 'Payment'),
      field('Card number', 'card', { autocomplete: 'cc-number', inputmode: 'numeric' }),
      h(
        'p',
        { class: 'muted' },
        'This is a demo: no payment is taken, and nothing you type is recorded or sent.',
      ),
    ),
    h(
      'button',
      {
        type: 'submit',
        id: 'place-order',
        'data-tabstream-event': 'place-order',
        'data-tabstream-prop-bags': String(count(basket)),
        'data-tabstream-prop-total': String(shop.total(basket) / 100),
      },
      `Place order · ${shop.price(shop.total(basket))}`,
    ),
  );
  return { title: 'Checkout', body: [h('h1', {}, 'Checkout'), form] };
}

function orders() {
  const list = shop.orders();
  return {
    title: 'Your orders',
    body: [
      h('h1', {}, 'Your orders'),
      list.length === 0
        ? h('div', { class: 'empty-state' }, h('p', {}, 'No orders yet.'))
        : h(
            'ul',
            { class: 'orders' },
            list.map((order) =>
              h(
                'li',
                {},
                link(`/shop/orders/${order.id}`, order.id),
                ` · ${new Date(order.date).toLocaleDateString('en-GB', { dateStyle: 'medium' })} · ${plural(count(order.items), 'bag')} · ${shop.price(order.total)}`,
              ),
            ),
          ),
    ],
  };
}

function order(id) {
  const found = shop.orders().find((o) => o.id === id);
  if (!found) return notFound();
  return {
    title: `Order ${id}`,
    body: [
      h('h1', {}, `Order ${id}`),
      h(
        'p',
        { class: 'lede' },
        'Thank you! We roast on Tuesday and it ships on Wednesday. (Not really: this is a demo.)',
      ),
      h(
        'ul',
        {},
        Object.entries(found.items).map(([item, n]) =>
          h('li', {}, `${n} × ${shop.PRODUCTS[item]?.name ?? item}`),
        ),
      ),
      h('p', {}, `Total ${shop.price(found.total)}. `, link('/shop/orders', 'All your orders')),
    ],
  };
}

function notFound() {
  return {
    title: 'Not found',
    body: [h('h1', {}, 'Not found'), h('p', {}, link('/shop/', 'Back to the shop'))],
  };
}

/** The view of a path under /shop/. */
function route(path) {
  if (path === '/shop/' || path === '/shop') return catalogue();
  if (path === '/shop/basket') return basketView();
  if (path === '/shop/checkout') return checkout();
  if (path === '/shop/orders') return orders();
  const match = /^\/shop\/orders\/([\w-]+)$/.exec(path);
  if (match) return order(match[1]);
  return notFound();
}

function render() {
  const { title, body } = route(location.pathname);
  document.title = `${title} · Tabstream Roasters`;
  view.replaceChildren(...body);
  for (const tab of document.querySelectorAll('.tabs a')) {
    const current = new URL(tab.href).pathname;
    const here =
      current === location.pathname ||
      (current === '/shop/orders' && location.pathname.startsWith('/shop/orders/'));
    if (here) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
}

function navigate(path) {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  render();
  scrollTo(0, 0);
  view.focus({ preventScroll: true });
}

// Links to a view of the shop (its tabs, the header's basket link, links in views) stay in the
// page; any other link, and a click with a modifier key or the middle button, is left alone.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin || !/^\/shop(\/|$)/.test(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname);
});

addEventListener('popstate', render);
// Another tab changed the basket or placed an order (a form being filled in is left alone).
addEventListener('storage', () => {
  if (location.pathname !== '/shop/checkout') render();
});

render();
