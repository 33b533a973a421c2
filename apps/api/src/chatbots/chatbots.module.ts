import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CHATBOT_MODEL, ChatbotSchema } from './chatbot.schema';
import { ChatbotsController } from './chatbots.controller';
import { ChatbotsRepository } from './chatbots.repository';
import { ChatbotsService } from './chatbots.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: CHATBOT_MODEL, schema: ChatbotSchema }])],
  controllers: [ChatbotsController],
  providers: [ChatbotsRepository, ChatbotsService],
  exports: [ChatbotsService],
})
export class ChatbotsModule {}
