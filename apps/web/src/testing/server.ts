import { setupServer } from 'msw/node';
import { defaultHandlers } from './handlers';

/** The API as the tests see it: MSW on Node, every unexpected request is an error. */
export const server = setupServer(...defaultHandlers);
