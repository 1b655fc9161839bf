// A shop-like page for suite `storage` to click on as a visitor would: a navigation bar, a grid
// of product cards (link, price, add-to-cart button, a wishlist toggle), outbound and download
// links in the footer, and text that answers nothing. The page answers add-to-cart clicks (a
// cart count changes) and keeps its links in the page (a router), and moves between 2,000
// product pages (`/p-<i>`, Zipf-like) with `history.pushState`, as a single-page app does.

/** Product pages the visitor moves between. */
const PAGES = 2000;
const CARDS = 24;
const CATEGORIES = ['shoes', 'shirts', 'bags', 'hats', 'watches', 'jackets', 'socks', 'belts'];

export interface ShopPage {
  /** Dispatches a click, as a mouse gives it, on one of the page's elements. */
  click(random: () => number): void;
  /** Goes to another product page (pushState). */
  navigate(random: () => number): void;
  remove(): void;
}

export function buildShopPage(): ShopPage {
  const root = document.createElement('div');
  root.className = 'shop';
  const targets: HTMLElement[] = [];
  const add = <K extends keyof HTMLElementTagNameMap>(
    parent: HTMLElement,
    tag: K,
    props: Partial<HTMLElementTagNameMap[K]> & { attrs?: Record<string, string> },
    weight = 1,
  ): HTMLElementTagNameMap[K] => {
    const { attrs, ...rest } = props;
    const element = Object.assign(document.createElement(tag), rest);
    for (const [name, value] of Object.entries(attrs ?? {})) element.setAttribute(name, value);
    parent.append(element);
    for (let i = 0; i < weight; i++) targets.push(element);
    return element;
  };

  const header = add(root, 'header', { className: 'site-header' }, 0);
  add(header, 'a', { href: '/', id: 'logo', textContent: 'Shop' });
  const nav = add(
    header,
    'nav',
    { className: 'main-nav', attrs: { 'aria-label': 'Categories' } },
    0,
  );
  for (const category of CATEGORIES)
    add(nav, 'a', { href: `/c/${category}`, className: 'nav-link', textContent: category });
  add(header, 'button', {
    type: 'button',
    className: 'icon-button search',
    attrs: { 'aria-label': 'Search' },
  });
  const cart = add(header, 'span', { className: 'cart-count', textContent: '0' }, 0);

  const grid = add(root, 'main', { className: 'grid products' }, 0);
  for (let i = 0; i < CARDS; i++) {
    const card = add(grid, 'article', { className: 'card product' }, 1);
    const link = add(card, 'a', { href: `/p-${i}`, className: 'product-link' }, 3);
    add(link, 'span', { className: 'title', textContent: `Product ${i}` }, 3);
    add(card, 'span', { className: 'price', textContent: `${19 + i}.99 €` });
    add(
      card,
      'button',
      { type: 'button', className: 'btn btn-primary add-to-cart', textContent: 'Add to cart' },
      4,
    );
    add(card, 'div', {
      className: 'wishlist',
      textContent: '♡',
      attrs: { role: 'button', tabindex: '0', 'aria-label': 'Add to wishlist' },
    });
  }

  const footer = add(root, 'footer', { className: 'site-footer' }, 0);
  add(footer, 'p', { textContent: 'Free delivery from 50 €. Returns within 30 days.' });
  add(footer, 'a', { href: 'https://partner.example/deals', textContent: 'Partner deals' });
  add(footer, 'a', { href: '/docs/catalogue.pdf', textContent: 'Catalogue (PDF)' });
  add(footer, 'a', {
    href: 'https://social.example/shop',
    className: 'social',
    textContent: 'Follow us',
  });

  // The page's own listeners: a router keeps links in the page; the cart answers its buttons.
  let inCart = 0;
  root.addEventListener('click', (event) => {
    const target = event.target as Element;
    if (target.closest('a[href]')) event.preventDefault();
    if (target.closest('.add-to-cart')) cart.textContent = String(++inCart);
  });
  document.body.append(root);

  const cumulative = new Float64Array(PAGES);
  let sum = 0;
  for (let i = 0; i < PAGES; i++) cumulative[i] = sum += 1 / (i + 1);
  return {
    click(random) {
      const target = targets[Math.floor(random() * targets.length)]!;
      target.dispatchEvent(
        new MouseEvent('click', {
          bubbles: true,
          composed: true,
          cancelable: true,
          clientX: Math.floor(random() * innerWidth),
          clientY: Math.floor(random() * innerHeight),
          detail: 1,
          ctrlKey: random() < 0.02,
        }),
      );
    },
    navigate(random) {
      const r = random() * sum;
      let lo = 0;
      let hi = PAGES - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      // In the same directory as the bench page, so relative URLs resolve as before.
      history.pushState(null, '', `/p-${lo}`);
    },
    remove: () => root.remove(),
  };
}
