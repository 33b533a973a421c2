import { Module } from '@nestjs/common';
import { RespondersService } from './responders.service';

@Module({ providers: [RespondersService], exports: [RespondersService] })
export class RespondersModule {}
