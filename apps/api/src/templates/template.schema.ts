import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { TemplateComponentView } from '@conecta/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export const TEMPLATES_COLLECTION = 'whatsapp_templates';

/** One template (name + language) of a WABA, as last synced for one integration. */
@Schema({ collection: TEMPLATES_COLLECTION, versionKey: false })
export class WhatsAppTemplate {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) workspaceId!: Types.ObjectId;
  @Prop({ required: true }) integrationId!: string;
  @Prop({ required: true }) businessAccountId!: string;
  /** Meta's template id. */
  @Prop({ required: true }) metaId!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) language!: string;
  @Prop({ required: true }) category!: string;
  @Prop({ required: true }) status!: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) components!: TemplateComponentView[];
  @Prop() qualityScore?: string;
  @Prop() rejectedReason?: string;
  @Prop({ required: true }) syncedAt!: Date;
}

export type TemplateDoc = WhatsAppTemplate & { _id: Types.ObjectId };
export const TemplateSchema = SchemaFactory.createForClass(WhatsAppTemplate);
