import { z } from 'zod';
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
  SiteQuery,
  UpdateCommentBody,
} from './schemas.js';

/** Who may call a route: anyone, or only a request with a valid session token. */
export type RouteAuth = 'public' | 'session';

/**
 * One REST route. The server mounts its handler from this entry, validates
 * input with these schemas, and the OpenAPI document is generated from them.
 */
export interface RouteSpec {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express-style path, `:name` for path parameters. */
  path: string;
  summary: string;
  auth: RouteAuth;
  status: number;
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
    operationId: 'signUp',
    method: 'post',
    path: '/api/auth/sign-up',
    summary: 'Create an account and sign in.',
    auth: 'public',
    status: 201,
    body: SignUpBody,
    response: Session,
    errors: ['email_taken', 'site_not_found', 'rate_limited'],
  }),
  signIn: route({
    operationId: 'signIn',
    method: 'post',
    path: '/api/auth/sign-in',
    summary: 'Sign in with email and password; returns a bearer token.',
    auth: 'public',
    status: 200,
    body: SignInBody,
    response: Session,
    errors: ['invalid_credentials', 'site_not_found', 'rate_limited'],
  }),
  signOut: route({
    operationId: 'signOut',
    method: 'post',
    path: '/api/auth/sign-out',
    summary: 'Revoke the session token sent with the request.',
    auth: 'session',
    status: 204,
    errors: ['unauthenticated'],
  }),
  getMe: route({
    operationId: 'getMe',
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in user and their role on a site.',
    auth: 'session',
    status: 200,
    query: SiteQuery,
    response: MeResponse,
    errors: ['unauthenticated', 'site_not_found'],
  }),
  listComments: route({
    operationId: 'listComments',
    method: 'get',
    path: '/api/comments',
    summary: "A page of a thread's top-level comments with all their replies.",
    auth: 'public',
    status: 200,
    query: ListCommentsQuery,
    response: CommentThread,
    errors: ['site_not_found'],
  }),
  createComment: route({
    operationId: 'createComment',
    method: 'post',
    path: '/api/comments',
    summary: 'Post a comment, or a reply when `parentId` is set.',
    auth: 'session',
    status: 201,
    body: CreateCommentBody,
    response: CommentResponse,
    errors: ['unauthenticated', 'site_not_found', 'parent_not_found', 'comment_deleted', 'rate_limited'],
  }),
  updateComment: route({
    operationId: 'updateComment',
    method: 'patch',
    path: '/api/comments/:id',
    summary: 'Edit your own comment; the previous text is kept as a revision.',
    auth: 'session',
    status: 200,
    params: CommentPath,
    query: SiteQuery,
    body: UpdateCommentBody,
    response: CommentResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found', 'comment_deleted'],
  }),
  deleteComment: route({
    operationId: 'deleteComment',
    method: 'delete',
    path: '/api/comments/:id',
    summary: 'Delete your own comment.',
    auth: 'session',
    status: 200,
    params: CommentPath,
    query: SiteQuery,
    response: DeleteCommentResponse,
    errors: ['unauthenticated', 'forbidden', 'comment_not_found'],
  }),
} as const;

export type Routes = typeof routes;
export type OperationId = keyof Routes;

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
