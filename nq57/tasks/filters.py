"""The one task filter, shared by the HTML task list, the XLSX export and the REST API.

GET parameters (other pages link to them, keep the names): ``agency`` (id), ``role`` (lead | coordinating; empty:
either), ``status``, ``timing``, ``theme`` (code), ``notice`` (id), ``programme`` (id), ``due_from``, ``due_to``
(YYYY-MM-DD), ``overdue_on`` (YYYY-MM-DD: open and past its deadline at the end of that day, as the dashboard's
weekly chart counts), ``q`` (folded text search: whole words, "quoted phrases", a notice number such as 30-TB/TGV
or "30 TB TGV"; whole-phrase hits first in the default order), ``parent`` ("root": top-level tasks, the default;
"all": tasks and sub-tasks; an id: the sub-tasks of that task) and ``sort`` (``SORTS``: due date, notice, agency,
update time; the default is the notice order).
"""

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from nq57.agencies.models import Agency
from nq57.agencies.widgets import AgencySelect
from nq57.core.compiled import compiled_query
from nq57.core.dbfunctions import IdIn
from nq57.notices.models import Notice
from nq57.tasks.models import AssignmentRole, Task, TaskAssignment, TaskStatus, Timing, search_words
from nq57.taxonomy.models import Programme, Theme

CHOICE_ERROR = {"invalid_choice": "Giá trị “%(value)s” không hợp lệ cho bộ lọc này."}
MODEL_ERROR = {"invalid_choice": "Không tìm thấy mục đã chọn; có thể nó đã bị xóa hoặc đường dẫn sai."}
DATE_ERROR = {"invalid": "Ngày không hợp lệ; hãy nhập theo dạng năm-tháng-ngày (ví dụ 2025-12-31)."}


RANGE_ERROR_CODE = "invalid_range"
_QUOTED = re.compile(r'["“”„«»]([^"“”„«»]*)["“”„«»]?')


def range_message(due_from, due_to) -> str:
    return (f"Khoảng thời hạn bị ngược: “Hạn từ ngày” ({due_from:%d/%m/%Y}) sau “Hạn đến ngày” ({due_to:%d/%m/%Y}). "
            "Hãy đổi chỗ hai ngày hoặc sửa một trong hai.")


class TaskFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        due_from, due_to = cleaned.get("due_from"), cleaned.get("due_to")
        if due_from and due_to and due_from > due_to:
            self.add_error("due_to", forms.ValidationError(range_message(due_from, due_to), code=RANGE_ERROR_CODE))
        return cleaned


#: a pasted paragraph searches by its first words (one LIKE per word: SQLite refuses very deep expressions)
MAX_QUERY_WORDS, MAX_QUERY_PHRASES = 20, 5


def parse_query(value: str) -> tuple[list[list[str]], list[str]]:
    """``q`` -> (phrases, words), both folded: text in quotes ("…" or “…”) is a phrase, the rest single words."""
    phrases = [words[:MAX_QUERY_WORDS] for words in (search_words(m) for m in _QUOTED.findall(value)) if words]
    return phrases[:MAX_QUERY_PHRASES], search_words(_QUOTED.sub(" ", value))[:MAX_QUERY_WORDS]


def _key_contains(words: list[str]) -> Q:
    """The whole folded words ``words``, in this order and next to each other, somewhere in the search key."""
    return Q(search_key__contains=f" {' '.join(words)} ")


#: words of an unquoted query may have at most this many other words between them ("chuyển đổi mạnh mẽ sang số")
NEAR_GAP = 3


def _words_near(words: list[str]) -> Q:
    """Every word of ``words`` as a whole folded word, in this order, at most ``NEAR_GAP`` words apart: Vietnamese
    words are syllables, and the same syllables scattered over a sentence ("chuyển giao … sửa đổi … sở hữu") are not
    what "chuyển đổi số" asks for. The plain LIKEs narrow the rows before the regular expression runs."""
    if len(words) == 1:
        return _key_contains(words)
    condition = Q()
    for word in dict.fromkeys(words):
        condition &= _key_contains([word])
    gap = rf"(?:[^ ]+ ){{0,{NEAR_GAP}}}"
    return condition & Q(search_key__regex=" " + gap.join(f"{word} " for word in words))


def _find(sequence: list[str], part: list[str]) -> int:
    for start in range(len(sequence) - len(part) + 1):
        if sequence[start:start + len(part)] == part:
            return start
    return -1


#: ``?sort=`` of the task list, the export and the API: label and the ordering (the last key, ``id``, makes it total)
SORTS = {
    "notice": ("Theo thông báo (mới nhất trước)", ("-notice__issued_on", "notice_id", "position", "id")),
    "due": ("Hạn hoàn thành (sớm nhất trước)", ("deadline_due", "id")),
    "-due": ("Hạn hoàn thành (muộn nhất trước)", ("-deadline_due", "-id")),
    "agency": ("Cơ quan chủ trì (A–Z)", ("lead_name", "id")),
    "-updated": ("Cập nhật gần nhất trước", ("-updated_at", "-id")),
    "updated": ("Cập nhật lâu nhất trước", ("updated_at", "id")),
}
DEFAULT_SORT = "notice"


def sort_keys(sort: str | None, *, columns: dict[str, str] | None = None) -> list:
    """The ``order_by`` expressions of a ``SORTS`` key; tasks without a due date (or lead agency) come last either way
    (the same on SQLite and PostgreSQL). ``columns`` renames the task's fields (the assignment's copies of them)."""
    keys = []
    for name in SORTS[sort or DEFAULT_SORT][1]:
        descending = name.startswith("-")
        field = F((columns or {}).get(name.lstrip("-"), name.lstrip("-")))
        keys.append(field.desc(nulls_last=True) if descending else field.asc(nulls_last=True))
    return keys


def with_sort_columns(queryset, sort: str | None):
    """Adds what ``sort`` orders by when it is not a column: the name of the (first) lead agency."""
    if sort == "agency":
        lead = TaskAssignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD).order_by("id")
        queryset = queryset.annotate(lead_name=Subquery(lead.values("agency__name")[:1]))
    return queryset


class ParentField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if value in ("", "root", "all") or value.isdigit():
            return value
        raise forms.ValidationError("Giá trị “%(value)s” không hợp lệ: dùng root, all hoặc số hiệu nhiệm vụ.",
                                    params={"value": value})


class ParentFilter(django_filters.Filter):
    field_class = ParentField


# What a list row shows (the task list and a notice's tasks: ``tasks.templatetags.tasks.task_list_row``,
# ``notices/notice_detail.html``, ``pages.decorate``): the lists load only these columns (a task row is wide, its
# search key alone as long as its text; a notice carries its whole text). Reading another field on a row would cost a
# query per row: the pages' query-count tests would catch it.
ROW_FIELDS = ("notice_id", "parent_id", "path", "text", "deadline_kind", "deadline_due", "deadline_text", "status",
              "progress", "notice__number", "notice__title", "notice__issued_on")
ROW_ASSIGNMENT_FIELDS = ("task_id", "role", "assigned_name", "agency__name", "agency__short_name")


def base_queryset(*, today=None, soon: dt.date | None = None, prefetch: bool = True):
    """Tasks annotated with their timing class, with what every list row shows loaded in a fixed number of queries
    (``prefetch=False``: without their assignments, which ``attach_row_assignments`` reads)."""
    from django.db.models import Prefetch

    today = today or timezone.localdate()
    queryset = Task.objects.with_timing(today=today, soon=soon).select_related("notice").only(*ROW_FIELDS)
    return queryset.prefetch_related(Prefetch("assignments", queryset=_row_assignments())) if prefetch else queryset


def _row_assignments():
    return TaskAssignment.objects.select_related("agency").only(*ROW_ASSIGNMENT_FIELDS).order_by("role", "id")


@compiled_query
def _rows_by_id(*, today: dt.date, soon: dt.date, ids: list[int]):
    return base_queryset(today=today, soon=soon, prefetch=False).filter(IdIn("pk", ids))


@compiled_query
def _row_assignments_of(*, task_ids: list[int]):
    return _row_assignments().filter(IdIn("task_id", task_ids))


def rows_by_id(ids: list[int], *, today: dt.date) -> list[Task]:
    """The list rows (``base_queryset``) of the tasks ``ids``, in that order, with their assignments as
    ``row_assignments`` (read by ``pages.decorate``): two queries compiled once per process (``core.compiled``)."""
    found = {task.pk: task for task in _rows_by_id(today=today, soon=Timing.soon(today=today), ids=ids)}
    assignments: dict[int, list] = {}
    for assignment in _row_assignments_of(task_ids=list(found)) if found else ():
        assignments.setdefault(assignment.task_id, []).append(assignment)
    for task in found.values():
        task.row_assignments = assignments.get(task.pk, [])
    return [found[pk] for pk in ids if pk in found]


class TasksInOrder:
    """A list of tasks whose order (and so each page) comes from ``ids``, a query of task ids in list order, and
    whose rows come from ``rows_by_id`` (the ids already answer the filters): what ``Paginator`` slices when
    ``TaskFilter.ordered_ids`` answers."""

    def __init__(self, ids, *, today: dt.date):
        self.ids, self.today = ids, today

    def __getitem__(self, index: slice) -> list:
        return rows_by_id(list(self.ids[index]), today=self.today)

    def count(self) -> int:
        return self.ids.count()


class _ListedChoices(django_filters.fields.ModelChoiceIterator):
    """A filter's options read as one plain list: ``QuerySet.iterator()``, which Django's iterator uses, opens a
    server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE) for a list of a few dozen themes or notices."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for instance in self.queryset:
            yield self.choice(instance)


class _ListedChoiceField(django_filters.fields.ModelChoiceField):
    iterator = _ListedChoices


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ListedChoiceField


class TaskFilter(django_filters.FilterSet):
    agency = ListedModelChoiceFilter(
        queryset=Agency.objects.only(*Agency.LABEL_FIELDS), method="filter_agency", label="Cơ quan",
        error_messages=MODEL_ERROR,
        widget=AgencySelect, empty_label="Mọi cơ quan",
    )
    role = django_filters.ChoiceFilter(
        choices=AssignmentRole.choices, method="filter_noop", label="Vai trò", empty_label="Chủ trì hoặc phối hợp",
        error_messages=CHOICE_ERROR,
    )
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label="Tình trạng", empty_label="Mọi tình trạng", error_messages=CHOICE_ERROR
    )
    timing = django_filters.ChoiceFilter(
        choices=Timing.choices, method="filter_timing", label="Phân loại thời hạn", empty_label="Mọi phân loại",
        error_messages=CHOICE_ERROR,
    )
    theme = ListedModelChoiceFilter(
        queryset=Theme.objects.all(), to_field_name="code", field_name="themes", label="Chủ đề",
        empty_label="Mọi chủ đề", error_messages=MODEL_ERROR,
    )
    notice = ListedModelChoiceFilter(
        queryset=Notice.objects.only(*Notice.LABEL_FIELDS), label="Thông báo", empty_label="Mọi thông báo",
        error_messages=MODEL_ERROR,
    )
    programme = ListedModelChoiceFilter(
        queryset=Programme.objects.all(), field_name="notice__programme", label="Chương trình",
        empty_label="Mọi chương trình", error_messages=MODEL_ERROR,
    )
    due_from = django_filters.DateFilter(
        field_name="deadline_due", lookup_expr="gte", label="Hạn từ ngày",
        widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERROR,
    )
    due_to = django_filters.DateFilter(
        field_name="deadline_due", lookup_expr="lte", label="Hạn đến ngày",
        widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERROR,
    )
    overdue_on = django_filters.DateFilter(
        method="filter_overdue_on", label="Quá hạn vào ngày", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERROR,
    )
    q = django_filters.CharFilter(
        method="filter_q", label="Tìm trong nội dung",
        widget=forms.TextInput(attrs={
            "placeholder": "chuyển đổi số, \"cụm từ\", 30-TB/TGV",
            "title": "Không cần gõ dấu. Tìm các từ trọn vẹn, theo thứ tự và gần nhau; đặt trong ngoặc kép để tìm đúng "
                     "cụm từ; có thể gõ số hiệu thông báo. Kết quả có đúng cả cụm từ được xếp trước.",
        }),
    )
    parent = ParentFilter(method="filter_parent", label="Cấp nhiệm vụ")
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in SORTS.items()], method="filter_noop", label="Sắp xếp",
        empty_label=None, error_messages=CHOICE_ERROR,
    )

    class Meta:
        model = Task
        fields: list[str] = []
        form = TaskFilterForm

    def __init__(self, data=None, *args, today=None, **kwargs):
        self.today = today or timezone.localdate()
        given = kwargs.get("queryset")
        super().__init__(data, *args, **kwargs)
        # ``base_queryset`` (an annotated query, most of a millisecond to build) only when ``qs`` is read: a page of
        # ``sorted_list`` by ids reads its rows with ``rows_by_id``
        self._queryset = given

    @property
    def queryset(self):
        if self._queryset is None:
            self._queryset = base_queryset(today=self.today)
        return self._queryset

    @queryset.setter
    def queryset(self, value):
        self._queryset = value

    def get_form_class(self):
        """The filter form's class, built once per process (django-filter builds a class, and every field of it,
        per filter set): its fields depend on nothing of the request; each form still gets its own copies."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields["agency"].empty_label = "Mọi cơ quan"
            cls._form_class = form_class
        return cls._form_class

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # "parent" filters even when absent from the query string: the default list shows top-level tasks only
        if not self.form.cleaned_data.get("parent") and self._parent == "root":
            queryset = queryset.filter(parent__isnull=True)
        # "theme" goes through a join on the M2M table: a task has a theme once, so rows do not repeat
        return queryset

    @property
    def sort_key(self) -> str:
        """The chosen ``SORTS`` key (the default when absent or invalid)."""
        if not self.is_bound:
            return DEFAULT_SORT
        self.is_valid()  # cleaned_data keeps the valid fields of a form with another field refused
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT

    def sorted_qs(self):
        """The filtered tasks in the chosen order; in the default order, whole-phrase hits of a search come first."""
        queryset = with_sort_columns(self.qs, self.sort_key)
        keys = sort_keys(self.sort_key)
        if self.ranked and self.sort_key == DEFAULT_SORT:
            return queryset.order_by("search_rank", *keys)
        return queryset.order_by(*keys)

    def filter_noop(self, queryset, name, value):
        return queryset  # "role" is applied together with "agency"

    @property
    def _parent(self) -> str:
        """"root" (the default, also when the parameter is absent), "all", or a task id; "" when it was refused."""
        if "parent" in self.form.errors:
            return ""
        return self.form.cleaned_data.get("parent") or "root"

    def _agency_assignments(self, agency):
        """The agency's assignments (in the chosen role) whose task has the chosen status, level and due dates, by
        the copies of those task columns on the assignment (``TaskAssignment.task_status``, kept equal by
        triggers): a range of the index (agency, role, task status, parent, due date, task)."""
        data = self.form.cleaned_data
        assignments = TaskAssignment.objects.filter(agency=agency)
        if data.get("role"):
            assignments = assignments.filter(role=data["role"])
        if data.get("status"):
            assignments = assignments.filter(task_status=data["status"])
        for bound, lookup in (("due_from", "gte"), ("due_to", "lte")):
            if data.get(bound):
                assignments = assignments.filter(**{f"task_deadline_due__{lookup}": data[bound]})
        if self._parent == "root":
            assignments = assignments.filter(task_parent_id__isnull=True)
        elif self._parent.isdigit():
            assignments = assignments.filter(task_parent_id=int(self._parent))
        return assignments

    def filter_agency(self, queryset, name, agency):
        """"id IN (the agency's task ids)" (narrowed by ``_agency_assignments``), then the tasks by primary key;
        much cheaper than a correlated EXISTS per task. The tasks' own conditions stay on the outer query: they
        let the database walk the tasks in the sort's index order."""
        return queryset.filter(id__in=self._agency_assignments(agency).values("task_id"))

    #: the parameters ``_agency_assignments`` answers in full (``sort`` orders, it does not select)
    INDEX_HELD = frozenset({"agency", "role", "status", "due_from", "due_to", "parent", "sort"})

    def _held_assignments(self):
        """``_agency_assignments`` when an agency is chosen and every other parameter given is one its index holds
        (role, status, due dates, level); else None."""
        data = self.form.cleaned_data if self.is_valid() else None
        if data and data.get("agency") is not None and self._parent and not any(
                value not in (None, "") and name not in self.INDEX_HELD for name, value in data.items()):
            return self._agency_assignments(data["agency"])
        return None

    def count(self) -> int:
        """How many tasks the filter selects (``qs``): from the agency index alone when ``_held_assignments``
        (thousands of index entries, no task read; the same number, since the copies equal the tasks' columns),
        else by counting the list."""
        assignments = self._held_assignments()
        if assignments is not None:
            return assignments.values("task_id").distinct().count()
        return self.qs.order_by().count()

    #: task fields of a sort order that the assignment holds copies of
    COPIED_SORT_FIELDS = {"deadline_due": "task_deadline_due", "id": "task_id"}

    def ordered_ids(self):
        """The ids of ``sorted_qs`` in its order, read from the agency index (its copies of the due date), when
        ``_held_assignments`` and the sort's fields are all copied there (``SORTS`` "due" and "-due"); else None.
        A page of the list is then that many ids and their tasks by primary key, instead of every task of the
        agency read to be sorted."""
        assignments = self._held_assignments()
        if assignments is None or not all(name.lstrip("-") in self.COPIED_SORT_FIELDS
                                          for name in SORTS[self.sort_key][1]):
            return None
        order = sort_keys(self.sort_key, columns=self.COPIED_SORT_FIELDS)
        return assignments.order_by(*order).values_list("task_id", flat=True).distinct()

    def sorted_list(self):
        """What the HTML list pages through: ``TasksInOrder`` when ``ordered_ids`` answers (the page's ids already
        answer every filter, so their rows come from the unfiltered ``queryset``), else ``sorted_qs``."""
        ids = self.ordered_ids()
        return TasksInOrder(ids, today=self.today) if ids is not None else self.sorted_qs()

    def filter_timing(self, queryset, name, value):
        return queryset.filter(Timing.condition(value, today=self.today))

    def filter_overdue_on(self, queryset, name, value):
        return queryset.filter(Timing.overdue_on(value))

    def filter_q(self, queryset, name, value):
        """Every quoted phrase as a phrase; the other words as whole folded words, in their order and close together
        (``_words_near``); a notice number in the query (30-TB/TGV, "30 TB TGV") also selects that notice's tasks
        (with the query's other words). Tasks holding the whole query as one phrase rank first (``search_rank`` 0,
        see ``ordered``)."""
        phrases, words = parse_query(value)
        if not phrases and not words:
            return queryset
        condition = _words_near(words) if words else Q()
        for phrase in phrases:
            condition &= _key_contains(phrase)
        everything = [w for part in phrases for w in part] + words
        for notice_id, others in self._notice_numbers_in(everything):
            condition |= Q(notice_id=notice_id) & (_words_near(others) if others else Q())
        self.ranked = len(everything) > 1
        queryset = queryset.filter(condition)
        if self.ranked:
            whole = _key_contains(search_words(value)[:MAX_QUERY_WORDS])
            queryset = queryset.annotate(search_rank=Case(When(whole, then=Value(0)), default=Value(1),
                                                          output_field=IntegerField()))
        return queryset

    @staticmethod
    def _notice_numbers_in(words: list[str]) -> list[tuple[int, list[str]]]:
        """(notice id, the query's other words) for each notice whose number (two words or more: "30 tb tgv") is in
        the query. Notices are few (hundreds), their numbers are read once per search."""
        found = []
        for notice_id, number in Notice.objects.exclude(number="").values_list("id", "number"):
            number_words = search_words(number)
            if len(number_words) < 2:
                continue
            start = _find(words, number_words)
            if start >= 0:
                found.append((notice_id, words[:start] + words[start + len(number_words):]))
        return found

    ranked = False

    def ordered(self, *fields: str):
        """The filtered tasks in ``fields`` order, whole-phrase hits of a search first."""
        queryset = self.qs
        return queryset.order_by("search_rank", *fields) if self.ranked else queryset.order_by(*fields)

    @property
    def range_error(self) -> str | None:
        """The message of a reversed due-date range (``due_from`` after ``due_to``), if that is the problem."""
        for error in self.form.errors.as_data().get("due_to", []):
            if error.code == RANGE_ERROR_CODE:
                return error.messages[0]
        return None

    def filter_parent(self, queryset, name, value):
        if value == "root":
            return queryset.filter(parent__isnull=True)
        if value == "all":
            return queryset
        return queryset.filter(parent_id=int(value))

    @property
    def error_messages(self) -> list[str]:
        """Plain-Vietnamese lines, one per invalid parameter: "Cơ quan: Không tìm thấy ..."."""
        lines = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            lines.extend(f"{label}: {error}" for error in errors)
        return lines
