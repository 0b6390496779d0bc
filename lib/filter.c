/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* filter.c - the -Q expression language of nslist (scols-filter style):
 * comparisons, regex match, and/or/not and parentheses over named columns,
 * parsed once into a tree and evaluated per row through a callback. */
#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>

#include "nsutil-internal.h"

enum tok {
	T_END, T_LPAR, T_RPAR, T_AND, T_OR, T_NOT,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_RE, T_NRE,
	T_IDENT, T_STRING, T_NUMBER,
};

enum node_kind { N_OR, N_AND, N_NOT, N_CMP, N_VALUE };
enum opd_kind { O_COLUMN, O_STRING, O_NUMBER };

struct operand {
	enum opd_kind kind;
	char *text;        /* column name or literal text */
	long double num;   /* O_NUMBER */
};

struct node {
	enum node_kind kind;
	enum tok op;       /* N_CMP */
	struct node *a, *b;
	struct operand l, r; /* N_CMP: l op r; N_VALUE: l */
	regex_t re;
	bool have_re;
};

struct nsu_filter {
	struct node *root;
	char **cols;
	size_t ncols;
};

struct parser {
	const char *s;
	size_t pos;        /* start of the current token */
	size_t next;       /* after it */
	enum tok tok;
	char *text;        /* identifier / literal of the current token */
	const char *err;
	size_t errpos;
	struct nsu_filter *f;
};

static void set_err_at(struct parser *p, const char *msg, size_t pos)
{
	if (!p->err) {
		p->err = msg;
		p->errpos = pos;
	}
}

static void set_err(struct parser *p, const char *msg)
{
	set_err_at(p, msg, p->pos);
}

/* Words are whole words: "andy" is an identifier, never "and" + "y". */
static bool word_is(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(s, w, len) == 0;
}

static void next_token(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->next;

	free(p->text);
	p->text = NULL;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	p->pos = i;
	if (!s[i]) {
		p->tok = T_END;
		p->next = i;
		return;
	}
#define TWO(a, b) (s[i] == (a) && s[i + 1] == (b))
	if (s[i] == '(') { p->tok = T_LPAR; i++; }
	else if (s[i] == ')') { p->tok = T_RPAR; i++; }
	else if (TWO('&', '&')) { p->tok = T_AND; i += 2; }
	else if (TWO('|', '|')) { p->tok = T_OR; i += 2; }
	else if (TWO('=', '=')) { p->tok = T_EQ; i += 2; }
	else if (TWO('!', '=')) { p->tok = T_NE; i += 2; }
	else if (TWO('=', '~')) { p->tok = T_RE; i += 2; }
	else if (TWO('!', '~')) { p->tok = T_NRE; i += 2; }
	else if (TWO('<', '=')) { p->tok = T_LE; i += 2; }
	else if (TWO('>', '=')) { p->tok = T_GE; i += 2; }
	else if (s[i] == '<') { p->tok = T_LT; i++; }
	else if (s[i] == '>') { p->tok = T_GT; i++; }
	else if (s[i] == '!') { p->tok = T_NOT; i++; }
	else if (s[i] == '"' || s[i] == '\'') {
		char q = s[i++], *o;

		p->text = malloc(strlen(s + i) + 1);
		if (!p->text) {
			set_err(p, "out of memory");
			p->tok = T_END;
			return;
		}
		o = p->text;
		while (s[i] && s[i] != q) {
			if (s[i] == '\\' && s[i + 1])
				i++;
			*o++ = s[i++];
		}
		*o = '\0';
		if (s[i] != q) {
			set_err(p, "unterminated string");
			p->tok = T_END;
			p->next = i;
			return;
		}
		i++;
		p->tok = T_STRING;
	} else if (isdigit((unsigned char)s[i]) ||
		   (s[i] == '-' && isdigit((unsigned char)s[i + 1]))) {
		size_t st = i++;

		while (isalnum((unsigned char)s[i]) || s[i] == '.')
			i++;
		p->text = strndup(s + st, i - st);
		p->tok = T_NUMBER;
	} else if (isalpha((unsigned char)s[i]) || s[i] == '_') {
		size_t st = i;

		while (isalnum((unsigned char)s[i]) || s[i] == '_' ||
		       s[i] == '-' || s[i] == '.')
			i++;
		if (word_is(s + st, i - st, "and")) p->tok = T_AND;
		else if (word_is(s + st, i - st, "or")) p->tok = T_OR;
		else if (word_is(s + st, i - st, "not")) p->tok = T_NOT;
		else if (word_is(s + st, i - st, "eq")) p->tok = T_EQ;
		else if (word_is(s + st, i - st, "ne")) p->tok = T_NE;
		else if (word_is(s + st, i - st, "lt")) p->tok = T_LT;
		else if (word_is(s + st, i - st, "le")) p->tok = T_LE;
		else if (word_is(s + st, i - st, "gt")) p->tok = T_GT;
		else if (word_is(s + st, i - st, "ge")) p->tok = T_GE;
		else {
			p->tok = T_IDENT;
			p->text = strndup(s + st, i - st);
		}
	} else {
		set_err(p, "unexpected character");
		p->tok = T_END;
		p->next = i;
		return;
	}
#undef TWO
	if ((p->tok == T_IDENT || p->tok == T_NUMBER) && !p->text) {
		set_err(p, "out of memory");
		p->tok = T_END;
	}
	p->next = i;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->l.text);
	free(n->r.text);
	if (n->have_re)
		regfree(&n->re);
	free(n);
}

static int note_column(struct parser *p, const char *name)
{
	struct nsu_filter *f = p->f;
	char **nc;

	for (size_t i = 0; i < f->ncols; i++)
		if (strcasecmp(f->cols[i], name) == 0)
			return 0;
	nc = realloc(f->cols, (f->ncols + 1) * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	f->cols = nc;
	nc[f->ncols] = strdup(name);
	if (!nc[f->ncols])
		return -ENOMEM;
	f->ncols++;
	return 0;
}

static bool parse_number(const char *s, long double *out)
{
	char *end;
	long double v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtold(s, &end);
	if (errno || *end || isspace((unsigned char)*s))
		return false;
	*out = v;
	return true;
}

static bool parse_operand(struct parser *p, struct operand *o)
{
	switch (p->tok) {
	case T_IDENT:
		o->kind = O_COLUMN;
		if (note_column(p, p->text) < 0) {
			set_err(p, "out of memory");
			return false;
		}
		break;
	case T_STRING:
		o->kind = O_STRING;
		break;
	case T_NUMBER:
		o->kind = O_NUMBER;
		if (!parse_number(p->text, &o->num)) {
			set_err(p, "malformed number");
			return false;
		}
		break;
	default:
		set_err(p, "expected a column name, a string or a number");
		return false;
	}
	o->text = steal_pointer(&p->text);
	next_token(p);
	return true;
}

static struct node *parse_or(struct parser *p);

static struct node *new_node(struct parser *p, enum node_kind k)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		set_err(p, "out of memory");
	else
		n->kind = k;
	return n;
}

static struct node *parse_primary(struct parser *p)
{
	struct node *n;
	size_t rpos;

	if (p->tok == T_NOT) {
		next_token(p);
		n = new_node(p, N_NOT);
		if (!n)
			return NULL;
		n->a = parse_primary(p);
		if (!n->a) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	if (p->tok == T_LPAR) {
		next_token(p);
		n = parse_or(p);
		if (!n)
			return NULL;
		if (p->tok != T_RPAR) {
			set_err(p, "expected ')'");
			node_free(n);
			return NULL;
		}
		next_token(p);
		return n;
	}
	n = new_node(p, N_VALUE);
	if (!n)
		return NULL;
	if (!parse_operand(p, &n->l)) {
		node_free(n);
		return NULL;
	}
	switch (p->tok) {
	case T_EQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE:
	case T_RE: case T_NRE:
		n->kind = N_CMP;
		n->op = p->tok;
		next_token(p);
		rpos = p->pos;
		if (!parse_operand(p, &n->r)) {
			node_free(n);
			return NULL;
		}
		if (n->op == T_RE || n->op == T_NRE) {
			if (n->r.kind != O_STRING) {
				set_err_at(p, "a regular expression must be a quoted string", rpos);
				node_free(n);
				return NULL;
			}
			if (regcomp(&n->re, n->r.text, REG_EXTENDED | REG_NOSUB) != 0) {
				set_err_at(p, "invalid regular expression", rpos);
				node_free(n);
				return NULL;
			}
			n->have_re = true;
		}
		break;
	default:
		break;
	}
	return n;
}

static struct node *parse_and(struct parser *p)
{
	struct node *l = parse_primary(p);

	while (l && p->tok == T_AND) {
		struct node *n = new_node(p, N_AND);

		next_token(p);
		if (!n) {
			node_free(l);
			return NULL;
		}
		n->a = l;
		n->b = parse_primary(p);
		if (!n->b) {
			node_free(n);
			return NULL;
		}
		l = n;
	}
	return l;
}

static struct node *parse_or(struct parser *p)
{
	struct node *l = parse_and(p);

	while (l && p->tok == T_OR) {
		struct node *n = new_node(p, N_OR);

		next_token(p);
		if (!n) {
			node_free(l);
			return NULL;
		}
		n->a = l;
		n->b = parse_and(p);
		if (!n->b) {
			node_free(n);
			return NULL;
		}
		l = n;
	}
	return l;
}

NSU_EXPORT struct nsu_filter *nsu_filter_parse(const char *expr,
					       size_t *errpos,
					       const char **errmsg)
{
	struct parser p = { .s = expr };
	struct nsu_filter *f;

	if (!expr) {
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	p.f = f;
	next_token(&p);
	if (p.tok == T_END && !p.err)
		set_err(&p, "empty expression");
	if (!p.err)
		f->root = parse_or(&p);
	if (!p.err && p.tok != T_END)
		set_err(&p, "unexpected text after the expression");
	free(p.text);
	if (p.err) {
		if (errpos)
			*errpos = p.errpos;
		if (errmsg)
			*errmsg = p.err;
		nsu_filter_free(f);
		errno = EINVAL;
		return NULL;
	}
	return f;
}

NSU_EXPORT void nsu_filter_free(struct nsu_filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	for (size_t i = 0; i < f->ncols; i++)
		free(f->cols[i]);
	free(f->cols);
	free(f);
}

NSU_EXPORT size_t nsu_filter_column_count(const struct nsu_filter *f)
{
	return f->ncols;
}

NSU_EXPORT const char *nsu_filter_column(const struct nsu_filter *f, size_t i)
{
	return i < f->ncols ? f->cols[i] : NULL;
}

struct value {
	const char *s;     /* NULL: no value */
	bool isnum;
	long double num;
};

static struct value get_value(const struct operand *o, nsu_filter_get_fn get,
			      void *data)
{
	struct value v = { 0 };

	switch (o->kind) {
	case O_COLUMN:
		v.s = get(data, o->text);
		v.isnum = parse_number(v.s, &v.num);
		break;
	case O_STRING:
		v.s = o->text;
		break;
	case O_NUMBER:
		v.s = o->text;
		v.isnum = true;
		v.num = o->num;
		break;
	}
	return v;
}

static int eval(const struct node *n, nsu_filter_get_fn get, void *data)
{
	struct value a, b;
	int c;

	switch (n->kind) {
	case N_OR:
		return eval(n->a, get, data) || eval(n->b, get, data);
	case N_AND:
		return eval(n->a, get, data) && eval(n->b, get, data);
	case N_NOT:
		return !eval(n->a, get, data);
	case N_VALUE:
		/* a bare column is true when it has a non-empty, non-zero
		 * value */
		a = get_value(&n->l, get, data);
		if (!a.s || !*a.s)
			return 0;
		return a.isnum ? a.num != 0 : 1;
	case N_CMP:
		break;
	}
	a = get_value(&n->l, get, data);
	if (n->op == T_RE || n->op == T_NRE) {
		int m = a.s && regexec(&n->re, a.s, 0, NULL, 0) == 0;

		return n->op == T_RE ? m : !m;
	}
	b = get_value(&n->r, get, data);
	/* A missing value (null in JSON) equals only another missing or
	 * empty value and is never less or greater than anything. */
	if (!a.s || !b.s) {
		bool ea = !a.s || !*a.s, eb = !b.s || !*b.s;

		if (n->op == T_EQ)
			return ea && eb;
		if (n->op == T_NE)
			return !(ea && eb);
		return 0;
	}
	/* numbers compare as numbers when both sides are numbers (so
	 * NPROCS > 10 is not a string comparison), else as strings */
	if (a.isnum && b.isnum)
		c = (a.num > b.num) - (a.num < b.num);
	else
		c = strcmp(a.s, b.s);
	switch (n->op) {
	case T_EQ: return c == 0;
	case T_NE: return c != 0;
	case T_LT: return c < 0;
	case T_LE: return c <= 0;
	case T_GT: return c > 0;
	case T_GE: return c >= 0;
	default: return 0;
	}
}

NSU_EXPORT int nsu_filter_eval(const struct nsu_filter *f,
			       nsu_filter_get_fn get, void *data)
{
	if (!f || !get)
		return -EINVAL;
	return eval(f->root, get, data) ? 1 : 0;
}
