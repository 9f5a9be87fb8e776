/** Django and Django REST framework: views, the request object, responses, ORM escape hatches, templates. */
import type { FlowModel } from './types.js';

const REQUEST_MEMBERS = [
  'GET', 'POST', 'body', 'FILES', 'COOKIES', 'META', 'headers', 'path', 'path_info', 'data', 'query_params',
  'content_params', 'get_full_path()', 'get_full_path_info()', 'build_absolute_uri()', 'read()', 'readline()',
  'readlines()', 'get_signed_cookie()', 'stream',
];

const CBV_BASES = ['django.views.', 'django.views.generic.', 'rest_framework.views.', 'rest_framework.viewsets.', 'rest_framework.generics.', 'rest_framework.mixins.'];
const CBV_METHODS = [
  'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'setup', 'dispatch', 'list', 'create', 'retrieve', 'update',
  'partial_update', 'destroy', 'form_valid', 'get_queryset', 'get_object', 'get_context_data', 'perform_create', 'perform_update',
];

export const djangoModel: FlowModel = {
  name: 'Django / Django REST framework',
  objects: [
    {
      type: 'django.http.HttpRequest',
      members: REQUEST_MEMBERS,
      kind: 'remote',
      description: 'Django request data (`request.GET`, `POST`, `body`, `FILES`, `COOKIES`, `META`, `headers`, DRF `data` and `query_params`)',
    },
    {
      type: 'django.forms.Form',
      members: ['cleaned_data', 'data', 'files'],
      kind: 'remote',
      description: 'a bound Django form\'s values (`form.cleaned_data` in `form_valid(self, form)`): validated for type, still the client\'s text',
    },
    {
      type: 'rest_framework.serializers.Serializer',
      members: ['validated_data', 'initial_data', 'data'],
      kind: 'remote',
      description: 'a DRF serializer\'s values (`serializer.validated_data` in `perform_create(self, serializer)`)',
    },
  ],
  entryPoints: [
    {
      description: 'Django function views: `request` and the URL parameters (`def detail(request, slug)`)',
      kind: 'remote',
      firstParameter: 'request',
      whenImports: ['django', 'rest_framework'],
      parameters: { objects: { request: 'django.http.HttpRequest' }, rest: true },
    },
    {
      description: 'Django class-based views and DRF views/viewsets: `request`, URL parameters, `self.request`, `self.kwargs`, `self.args`',
      kind: 'remote',
      classBases: CBV_BASES,
      methods: CBV_METHODS,
      selfMembers: ['kwargs', 'args'],
      selfObjects: { request: 'django.http.HttpRequest' },
      parameters: { skip: ['self', 'cls', 'queryset'], objects: { request: 'django.http.HttpRequest', form: 'django.forms.Form', serializer: 'rest_framework.serializers.Serializer' }, rest: true },
    },
  ],
  sinks: [
    { rule: 'PW101', methods: ['raw'], args: [0, 'raw_query'], description: 'Django `Manager.raw(sql)`' },
    { rule: 'PW101', qnames: ['django.db.models.expressions.RawSQL', 'django.db.models.RawSQL'], args: [0, 'sql'], description: 'Django `RawSQL(sql)`' },
    { rule: 'PW101', methods: ['extra'], args: ['where', 'select', 'tables', 'order_by'], description: 'Django `QuerySet.extra(where=[...])`' },
    { rule: 'PW104', qnames: ['django.http.FileResponse'], args: [0, 'streaming_content'], description: 'Django `FileResponse(path)`' },
    { rule: 'PW106', qnames: ['django.utils.safestring.mark_safe', 'django.utils.safestring.SafeString', 'django.utils.safestring.SafeText'], args: [0, 's'], description: 'Django `mark_safe(html)`' },
    { rule: 'PW106', qnames: ['django.utils.html.format_html'], args: [0, 'format_string'], description: 'Django `format_html(template, ...)` with data already in the template (only the later arguments are escaped)' },
    { rule: 'PW106', qnames: ['django.http.HttpResponse', 'django.http.response.HttpResponse', 'django.http.HttpResponseBadRequest', 'django.http.HttpResponseNotFound', 'django.http.HttpResponseForbidden', 'django.http.HttpResponseServerError'], args: [0, 'content'], when: 'html-content', description: 'Django `HttpResponse(html)` (content type text/html)' },
    { rule: 'PW107', qnames: ['django.template.Template', 'django.template.base.Template', 'django.template.Engine().from_string', 'django.template.engines.from_string'], args: [0, 'template_string'], description: 'Django `Template(source)`' },
    { rule: 'PW108', qnames: ['django.shortcuts.redirect', 'django.http.HttpResponseRedirect', 'django.http.HttpResponsePermanentRedirect', 'django.http.response.HttpResponseRedirect', 'rest_framework.response.Response().redirect'], args: [0, 'to', 'redirect_to'], description: 'Django `redirect(url)` / `HttpResponseRedirect(url)`' },
  ],
  sanitizers: [
    { qnames: ['django.utils.html.escape', 'django.utils.html.conditional_escape', 'django.utils.html.strip_tags', 'django.utils.html.escapejs', 'django.utils.html.format_html', 'django.utils.html.urlize'], clears: ['PW106'], description: 'Django HTML escaping (not for template source: `{{ ... }}` has nothing to escape)' },
    { qnames: ['django.shortcuts.resolve_url', 'django.urls.reverse', 'django.urls.reverse_lazy', 'django.shortcuts.reverse'], clears: ['PW108', 'PW105'], description: '`reverse()` builds a URL of this site' },
    { qnames: ['django.utils.text.slugify', 'django.utils.text.get_valid_filename'], clears: ['PW104', 'PW102', 'PW106', 'PW108', 'PW105', 'PW101'], description: '`slugify` / `get_valid_filename` keep only safe characters' },
    { qnames: ['django.shortcuts.get_object_or_404', 'django.shortcuts.get_list_or_404'], clears: 'all', description: 'a model instance looked up by the value, not the value' },
    { methods: ['get_by_natural_key', 'get_for_model', 'get_for_id', 'model_class'], clears: 'all', description: 'ContentType lookups (`ContentType.objects.get_by_natural_key(app, model).model_class()`): an installed model or a stored row, not the value' },
    { methods: ['get_absolute_url'], clears: ['PW108', 'PW105', 'PW106'], description: '`obj.get_absolute_url()` is the object\'s own URL on this site (by convention built with `reverse()`, which percent-encodes quotes and angle brackets)' },
    { methods: ['sql_with_params'], clears: ['PW101'], description: '`queryset.query.sql_with_params()` is SQL the ORM compiled, with the values as separate parameters' },
    { qnames: ['django.template.loader.render_to_string', 'django.template.loader.get_template().render', 'django.template.loader.select_template().render', 'django.template.engines.__getitem__().get_template().render'], clears: ['PW106'], description: 'a rendered Django template: every variable is autoescaped (not for template source, PW107)' },
  ],
  guards: [
    { qnames: ['django.utils.http.url_has_allowed_host_and_scheme', 'django.utils.http.is_safe_url'], arg: 0, clears: ['PW108', 'PW105'], description: '`url_has_allowed_host_and_scheme(url, allowed_hosts=...)`' },
  ],
};
