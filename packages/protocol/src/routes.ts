import type { z } from 'zod';
import { endpoints, type Endpoint, type OperationId } from './endpoints.js';
import {
  CommentPath,
  CommentResponse,
  CommentThread,
  CreateCommentBody,
  DeleteCommentResponse,
  ListCommentsQuery,
  MeResponse,
  Session,
  SignInBody,
  SignUpBody,
  SingleCommentResponse,
  SiteQuery,
  UpdateCommentBody,
} from './schemas.js';

/**
 * One REST route. The server mounts its handler from this entry, validates
 * input with these schemas, and the OpenAPI document is generated from them.
 */
export interface RouteSpec extends Endpoint {
  operationId: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Error codes this route can answer with, besides validation and internal errors. */
  errors: readonly string[];
}

function route<const T extends RouteSpec>(spec: T): T {
  return spec;
}

/** The REST API, keyed by operationId. */
export const routes = {
  signUp: route({
    ...endpoints.signUp,
    operationId: 'signUp',
    summary: 'Create an account and sign in.',
    body: SignUpBody,
    response: Session,
    errors: ['email_taken', 'site_not_found'],
  }),
  signIn: route({
    ...endpoints.signIn,
    operationId: 'signIn',
    summary: 'Sign in with email and password; returns a bearer token.',
    body: SignInBody,
    response: Session,
    errors: ['invalid_credentials', 'site_not_found'],
  }),
  signOut: route({
    ...endpoints.signOut,
    operationId: 'signOut',
    summary: 'Revoke the session token sent with the request.',
    errors: ['unauthenticated'],
  }),
  getMe: route({
    ...endpoints.getMe,
    operationId: 'getMe',
    summary: 'The signed-in user and their role on a site.',
    query: SiteQuery,
    response: MeResponse,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  listComments: route({
    ...endpoints.listComments,
    operationId: 'listComments',
    summary: "A page of a thread's top-level comments with all their replies.",
    query: ListCommentsQuery,
    response: CommentThread,
    errors: ['site_not_found'],
  }),
  getComment: route({
    ...endpoints.getComment,
    operationId: 'getComment',
    summary: 'One comment with its markdown source (for editing or linking).',
    params: CommentPath,
    query: SiteQuery,
    response: SingleCommentResponse,
    errors: ['site_not_found', 'comment_not_found'],
  }),
  createComment: route({
    ...endpoints.createComment,
    operationId: 'createComment',
    summary: 'Post a comment, or a reply when `parentId` is set.',
    body: CreateCommentBody,
    response: CommentResponse,
    errors: ['unauthenticated', 'site_not_found', 'parent_not_found', 'comment_deleted'],
  }),
  updateComment: route({
    ...endpoints.updateComment,
    operationId: 'updateComment',
    summary: 'Edit your own comment; the previous text is kept as a revision.',
    params: CommentPath,
    query: SiteQuery,
    body: UpdateCommentBody,
    response: CommentResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found', 'comment_deleted'],
  }),
  deleteComment: route({
    ...endpoints.deleteComment,
    operationId: 'deleteComment',
    summary: 'Delete your own comment.',
    params: CommentPath,
    query: SiteQuery,
    response: DeleteCommentResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found'],
  }),
} as const;

export type Routes = typeof routes;
export type { OperationId };

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type InferIn<T> = T extends z.ZodType ? z.input<T> : undefined;

/** Parsed input of a route, as the server's handler receives it. */
export interface RouteInput<K extends OperationId> {
  params: Infer<Routes[K] extends { params: infer P } ? P : undefined>;
  query: Infer<Routes[K] extends { query: infer Q } ? Q : undefined>;
  body: Infer<Routes[K] extends { body: infer B } ? B : undefined>;
}

/** Input of a route as a client sends it (defaults may be left out). */
export interface RouteRequest<K extends OperationId> {
  params: InferIn<Routes[K] extends { params: infer P } ? P : undefined>;
  query: InferIn<Routes[K] extends { query: infer Q } ? Q : undefined>;
  body: InferIn<Routes[K] extends { body: infer B } ? B : undefined>;
}

/** The success body of a route (`undefined` for 204). */
export type RouteOutput<K extends OperationId> = Infer<
  Routes[K] extends { response: infer R } ? R : undefined
>;
