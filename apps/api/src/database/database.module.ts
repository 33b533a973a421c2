import { DynamicModule, Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { JobRuns } from './job-runs';

// mongoose captures a stack trace on every query (`new Error().stack`) only to enrich the rare
// "Query was already executed" error: ~2% of the API's CPU per inbound message (issue 19).
mongoose.set('skipOriginalStackTraces', true);

export interface DatabaseOptions {
  uri: string;
  dbName: string;
}

/**
 * One mongoose connection for the app. Indexes are created by migrations, not by mongoose at start
 * (autoIndex off), so production and the embedded server get the same, versioned indexes.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MongooseModule.forRoot(options.uri, {
          dbName: options.dbName,
          autoIndex: false,
          autoCreate: false,
          serverSelectionTimeoutMS: 5_000,
          // Notice a database that is back within ~2 s (default 10 s): until then intake answers 503.
          heartbeatFrequencyMS: 2_000,
          appName: 'conecta-api',
        }),
      ],
      providers: [JobRuns],
      exports: [MongooseModule, JobRuns],
    };
  }
}
