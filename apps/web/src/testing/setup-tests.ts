import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { server } from './server';

// `findBy…`/`waitFor` give up after 1 s by default. `npm test` runs every project at once on two cores, and a
// lazy route or a first render can take longer than that there: wait longer before calling it a failure (a
// bound on waiting, not a timing assertion — a passing test returns as soon as the element shows).
configure({ asyncUtilTimeout: 5000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  document.cookie.split(';').forEach((c) => {
    const name = c.split('=')[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  });
  window.localStorage.clear();
});
afterAll(() => server.close());
