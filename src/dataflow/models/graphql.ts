/** GraphQL servers: resolver arguments in Graphene, Strawberry and Ariadne. */
import type { FlowModel } from './types.js';

export const graphqlModel: FlowModel = {
  name: 'GraphQL (Graphene, Strawberry, Ariadne)',
  entryPoints: [
    {
      description: 'Graphene resolvers (`def resolve_user(root, info, id)`) and mutations (`def mutate(root, info, **kwargs)`)',
      kind: 'remote',
      classBases: ['graphene.ObjectType', 'graphene.Mutation', 'graphene.types.objecttype.ObjectType', 'graphene.relay.ClientIDMutation', 'graphene_django.DjangoObjectType'],
      methods: ['resolve_*', 'mutate', 'mutate_and_get_payload'],
      parameters: { skip: ['self', 'cls', 'root', 'parent', 'info', '_info', 'obj', '_', '_root', '_parent'], rest: true },
    },
    {
      description: 'Strawberry fields and mutations (`@strawberry.field`, `@strawberry.mutation`): typed `int`/`float`/`bool`/`ID` arguments stay clean',
      kind: 'remote',
      decorators: ['strawberry.field', 'strawberry.mutation', 'strawberry.subscription', 'strawberry.field()', 'strawberry.mutation()'],
      whenImports: ['strawberry'],
      parameters: { skip: ['self', 'cls', 'root', 'info'], rest: true },
    },
    {
      description: 'Ariadne resolvers (`@query.field("user")`, `@mutation.field(...)`): the arguments after `obj, info`',
      kind: 'remote',
      decorators: ['ariadne.QueryType().field', 'ariadne.MutationType().field', 'ariadne.ObjectType().field', 'ariadne.SubscriptionType().field', 'ariadne.SubscriptionType().source'],
      decoratorMethods: ['field'],
      whenImports: ['ariadne'],
      parameters: { skipLeading: 2, rest: true },
    },
  ],
};
