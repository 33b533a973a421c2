import { Schema, Types } from 'mongoose';

export const WORKSPACE_MODEL = 'Workspace';

export interface WorkspaceDoc {
  _id: Types.ObjectId;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export const WorkspaceSchema = new Schema<WorkspaceDoc>(
  { name: { type: String, required: true } },
  { collection: 'workspaces', timestamps: true },
);
