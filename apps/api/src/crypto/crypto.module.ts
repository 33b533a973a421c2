import { Global, Module } from '@nestjs/common';
import { SecretBox } from './secret-box';

/** Provides {@link SecretBox} everywhere: secrets at rest are sealed the same way by every feature. */
@Global()
@Module({ providers: [SecretBox], exports: [SecretBox] })
export class CryptoModule {}
