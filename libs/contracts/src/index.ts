export * from './channels';
export * from './errors';
export * from './health';
export * from './rules';
export * from './conversations';
