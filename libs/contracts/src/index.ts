export * from './channels';
export * from './errors';
export * from './health';
export * from './rules';
export * from './auth';
export * from './chatbots';
export * from './audit';
export * from './conversations';
