import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EgressPolicy, HostResolver, systemResolver } from './egress-policy';

/** Provides the one {@link EgressPolicy}; tests pass a resolver that never asks real DNS. */
@Global()
@Module({})
export class EgressModule {
  static forRoot(resolver: HostResolver = systemResolver): DynamicModule {
    return {
      module: EgressModule,
      providers: [
        {
          provide: EgressPolicy,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new EgressPolicy(config.egressAllowPrivate, resolver),
        },
      ],
      exports: [EgressPolicy],
    };
  }
}
