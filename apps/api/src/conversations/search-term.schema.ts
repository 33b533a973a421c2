import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export const SEARCH_TERMS_COLLECTION = 'search_terms';
export const SEARCH_TERM_KINDS = ['contact', 'message'] as const;
export type SearchTermKind = (typeof SEARCH_TERM_KINDS)[number];

/**
 * One normalized word start (`libs/contracts` search.ts) that finds one conversation: from its
 * contact (name, username, shown digits, short id) or from its messages. Searching is an equality
 * on `term`, served by an index on the embedded database too; indexes live in migration 0014.
 */
@Schema({ collection: SEARCH_TERMS_COLLECTION, versionKey: false })
export class SearchTerm {
  @Prop({ type: Types.ObjectId, required: true }) workspaceId!: Types.ObjectId;
  @Prop({ required: true }) term!: string;
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: SEARCH_TERM_KINDS }) kind!: SearchTermKind;
}

export const SearchTermSchema = SchemaFactory.createForClass(SearchTerm);

export interface SearchTermDoc extends SearchTerm {
  _id: Types.ObjectId;
}
