import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';

/** The built SPA's index.html, served for client-side routes when the SPA is present. */
export class SpaFallback {
  private readonly html: string | null;

  constructor(readonly root: string | null) {
    const index = root ? join(root, 'index.html') : null;
    this.html = index && existsSync(index) ? readFileSync(index, 'utf8') : null;
  }

  get available(): boolean {
    return this.html !== null;
  }

  serves(request: FastifyRequest): boolean {
    if (this.html === null || request.method !== 'GET') return false;
    const path = request.url.split('?')[0] ?? '';
    if (path === '/api' || path.startsWith('/api/') || path === '/metrics') return false;
    return !/\.[a-z0-9]+$/i.test(path);
  }

  indexHtml(): string {
    return this.html ?? '';
  }
}
