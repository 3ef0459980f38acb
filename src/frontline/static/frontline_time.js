/*
 * frontline_time.js: the time control of Frontline's event map.
 *
 * Written for Frontline (no third-party code). It needs Leaflet 1.9 and nothing else.
 *
 * Design
 * ------
 * - The events arrive once, as column arrays in a JSON block (a script element of
 *   type application/json, or gzip-compressed in base64 when large) written by
 *   frontline.mapbuild: `day` (days since 1970-01-01, sorted ascending), `lat`, `lon`,
 *   `type` (index into `types`), and `place`, `admin1`, `source` as indices into one
 *   string table. The popup and list text (quotes, titles, links, ids) is a second
 *   block, a list of chunks of `textChunk` events each; a compressed chunk is
 *   unpacked when one of its events is first shown (`_withText`). Nothing is copied
 *   per time step.
 * - At each slider step the visible events are one contiguous run of the sorted
 *   arrays, found with two binary searches: [first day of the window, current day].
 * - All markers are drawn on canvases in their own map pane (control rings on one
 *   more, under the labels). Positions are projected once per place at zoom 0 and
 *   only scaled and shifted at redraw, once per change of view; a redraw of 100,000
 *   points is a single loop drawing at most one pre-rendered marker per type and pixel,
 *   and in cumulative mode one pre-composed stack of markers per place.
 * - Clicks are hit-tested against the points drawn last; the popup is built with
 *   createElement/textContent, never innerHTML, so article text stays text. Links
 *   are kept only when the URL parses as http: or https:.
 * - Each event type is a tiny Leaflet layer that only switches its type on or off,
 *   so the standard layer control gives one toggle per type.
 * - Frontline snapshots (GeoJSON with a validity interval in days) are Leaflet
 *   GeoJSON layers shown when the slider's day falls inside their interval.
 *
 * Public entry point: FrontlineTime.attach(map, layerControl, dataElement).
 * It returns the controller, also listed in FrontlineTime.instances (tests read it).
 */
(function (root) {
  "use strict";
  if (root.FrontlineTime) {
    return; // already defined by another map on the same page
  }

  var DAY_MS = 86400000;
  var RADIUS = 6;          // marker radius in CSS pixels
  var HIT_SLOP = 3;        // extra pixels around a marker that still count as a click
  var MAX_POPUP_EVENTS = 12;
  var PRECISION_LABEL = {1: "day", 2: "week", 3: "month or vaguer"};
  var GEO_PRECISION_LABEL = {1: "the place itself", 2: "near the place", 3: "region or wider"};

  /** ISO date (YYYY-MM-DD) of a day number. */
  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  /** First index i in the sorted array `arr` with arr[i] >= value (arr.length if none). */
  function lowerBound(arr, value) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (arr[mid] < value) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /** Regular polygon (or star when `inner` is given) as unit-radius vertices. */
  function polygon(n, rotation, inner) {
    var pts = [], steps = inner ? 2 * n : n;
    for (var k = 0; k < steps; k++) {
      var a = rotation + (2 * Math.PI * k) / steps;
      var r = inner && k % 2 === 1 ? inner : 1;
      pts.push([r * Math.sin(a), -r * Math.cos(a)]);
    }
    return pts;
  }

  /** A plus sign of arm half-width w, unit radius, rotated by `rotation`. */
  function cross(w, rotation) {
    var base = [[-w, -1], [w, -1], [w, -w], [1, -w], [1, w], [w, w], [w, 1], [-w, 1],
                [-w, w], [-1, w], [-1, -w], [-w, -w]];
    var c = Math.cos(rotation), s = Math.sin(rotation);
    return base.map(function (p) { return [p[0] * c - p[1] * s, p[0] * s + p[1] * c]; });
  }

  /** Marker shapes: null means a circle, otherwise unit-radius vertices. */
  var SHAPES = {
    circle: null,
    square: [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
    triangle: polygon(3, 0).map(function (p) { return [p[0] * 1.2, p[1] * 1.2 + 0.15]; }),
    triangle_down: polygon(3, Math.PI).map(function (p) { return [p[0] * 1.2, p[1] * 1.2 - 0.15]; }),
    diamond: [[0, -1.25], [1, 0], [0, 1.25], [-1, 0]],
    star: polygon(5, 0, 0.5).map(function (p) { return [p[0] * 1.3, p[1] * 1.3 + 0.1]; }),
    plus: cross(0.36, 0).map(function (p) { return [p[0] * 1.1, p[1] * 1.1]; }),
    x: cross(0.32, Math.PI / 4).map(function (p) { return [p[0] * 1.2, p[1] * 1.2]; }),
    hexagon: polygon(6, Math.PI / 6),
    pentagon: polygon(5, 0)
  };

  /** Add one marker outline of `shape` at (x, y) with radius r to the current path. */
  function tracePath(ctx, shape, x, y, r) {
    var pts = SHAPES[shape];
    if (!pts) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      return;
    }
    ctx.moveTo(x + pts[0][0] * r, y + pts[0][1] * r);
    for (var k = 1; k < pts.length; k++) {
      ctx.lineTo(x + pts[k][0] * r, y + pts[k][1] * r);
    }
    ctx.closePath();
  }

  /** A key naming a stack of markers (stored newest first), oldest first. */
  function stackKey(marker, offset, depth) {
    var key = "";
    for (var k = depth - 1; k >= 0; k--) { key += String.fromCharCode(48 + marker[offset + k]); }
    return key;
  }

  /** A small <canvas> showing one type's marker, for the legend and layer control. */
  function swatch(type, size) {
    var canvas = document.createElement("canvas");
    var ratio = root.devicePixelRatio || 1;
    canvas.width = size * ratio;
    canvas.height = size * ratio;
    canvas.style.width = size + "px";
    canvas.style.height = size + "px";
    canvas.className = "frontline-swatch";
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.beginPath();
    tracePath(ctx, type.shape, size / 2, size / 2, size / 2 - 2);
    ctx.fillStyle = type.color;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    return canvas;
  }

  /** Escape text for the few places Leaflet wants an HTML string (layer control labels). */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }

  /** The same swatch as an SVG string; numbers and a checked colour only. */
  function swatchSvg(type, size) {
    var c = size / 2, r = size / 2 - 2, pts = SHAPES[type.shape];
    var color = /^#[0-9a-fA-F]{6}$/.test(type.color) ? type.color : "#888888";
    var shape = pts
      ? '<polygon points="' + pts.map(function (p) {
          return (c + p[0] * r).toFixed(2) + "," + (c + p[1] * r).toFixed(2);
        }).join(" ") + '"'
      : '<circle cx="' + c + '" cy="' + c + '" r="' + r + '"';
    return '<svg class="frontline-swatch" width="' + size + '" height="' + size +
      '" viewBox="0 0 ' + size + " " + size + '" aria-hidden="true">' + shape +
      ' fill="' + color + '" stroke="#ffffff" stroke-width="1"/></svg>';
  }

  /** Keep a URL only if it parses as http(s); returns the normalised href or null. */
  function safeHref(text) {
    if (typeof text !== "string" || !text) { return null; }
    var url;
    try { url = new URL(text); } catch (err) { return null; }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  }

  /** document.createElement with a class name and optional text (always as text). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /** A link if the URL is http(s), else plain text. */
  function linkOrText(label, href) {
    var safe = safeHref(href);
    if (!safe) { return el("span", null, label); }
    var a = el("a", null, label);
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  // ---------------------------------------------------------------------------
  // Leaflet's SVG renderer: each path projected and drawn once per view.
  // ---------------------------------------------------------------------------

  /*
   * The context layers, areas and front-line snapshots are SVG paths. In one change
   * of zoom without animation, Leaflet 1.9's renderer projects every path (zoomend)
   * and draws it (moveend), then, at viewreset, draws it once more from that same
   * projection while it moves its container, projects it again and draws it again:
   * three drawings and two projections where one of each gives the same picture.
   * Here the renderer notes for which zoom and pixel origin its paths were projected
   * and for which bounds they were drawn, and skips what is already done. Patched on
   * the prototype before any renderer exists, as Leaflet binds these handlers when a
   * renderer is added. (A path whose shape or style changes redraws itself.)
   */
  (function (proto) {
    var reset = proto._reset, onZoomEnd = proto._onZoomEnd, updatePaths = proto._updatePaths;
    if (!reset || !onZoomEnd || !updatePaths || !proto._update || !proto._updateTransform) {
      return; // another Leaflet: left alone
    }
    function projectionKey(r) {
      var o = r._map.getPixelOrigin();
      return r._map.getZoom() + "," + o.x + "," + o.y;
    }
    function pathsKey(r) {
      var b = r._bounds;
      return projectionKey(r) + (b ? "," + b.min.x + "," + b.min.y + "," + b.max.x + "," + b.max.y : "");
    }
    proto._onZoomEnd = function () {
      onZoomEnd.call(this);
      this._projectedFor = projectionKey(this);
    };
    proto._updatePaths = function () {
      if (this._resetting) { return; } // the paths are drawn by the reset itself
      var key = pathsKey(this);
      if (this._drawnFor === key) { return; }
      updatePaths.call(this);
      this._drawnFor = this._projectedFor === projectionKey(this) ? key : null;
    };
    proto._reset = function () {
      var current = this._projectedFor === projectionKey(this);
      this._resetting = true;
      try {
        this._update(); // the container follows the view
      } finally {
        this._resetting = false;
      }
      if (current && this._drawnFor === pathsKey(this)) { // projected and drawn for this view
        this._updateTransform(this._center, this._zoom);
        return;
      }
      this._resetting = true;
      try {
        reset.call(this); // the container again, then each path projected and drawn
      } finally {
        this._resetting = false;
      }
      this._projectedFor = projectionKey(this);
      this._drawnFor = pathsKey(this);
    };
  })(L.SVG.prototype);

  // ---------------------------------------------------------------------------
  // The canvas layer holding every event.
  // ---------------------------------------------------------------------------

  /**
   * Canvases over the visible map in a pane of their own, following pans and zooms
   * (as Leaflet's renderers do). A subclass lists its canvases' class names in
   * `canvasClasses` and draws in `redraw()`; the view's transform comes from `view()`.
   *
   * One change of view fires several of Leaflet's events (viewreset, zoomend, moveend,
   * resize): the canvases are laid out and redrawn once per distinct view.
   */
  var ViewCanvas = L.Layer.extend({
    paneName: "frontlineEvents",
    paneZ: 450,
    canvasClasses: [],

    onAdd: function (map) {
      var pane = map.getPane(this.paneName) || map.createPane(this.paneName);
      pane.style.zIndex = this.paneZ;
      pane.style.pointerEvents = "none"; // clicks go to the map, which hit-tests
      this._canvases = this.canvasClasses.map(function (name) {
        return L.DomUtil.create("canvas", name + " leaflet-zoom-animated", pane);
      });
      this._viewKey = null;
      this.canvasesCreated();
      map.on("moveend zoomend resize viewreset", this._reset, this);
      map.on("zoomanim", this._animateZoom, this);
      this._reset();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._reset, this);
      map.off("zoomanim", this._animateZoom, this);
      this._canvases.forEach(function (canvas) { L.DomUtil.remove(canvas); });
      this._canvases = null;
    },

    /** Follow Leaflet's zoom animation with a CSS transform. */
    _animateZoom: function (ev) {
      var map = this._map;
      var scale = map.getZoomScale(ev.zoom, map.getZoom());
      var offset = map._latLngToNewLayerPoint(this._topLeft, ev.zoom, ev.center);
      this._canvases.forEach(function (canvas) { L.DomUtil.setTransform(canvas, offset, scale); });
      this._viewKey = null; // the transform must be undone by the next reset
    },

    /** Put the canvases over the visible map and redraw, unless the view is unchanged. */
    _reset: function () {
      var map = this._map, size = map.getSize(), ratio = root.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]), origin = map.getPixelOrigin();
      var key = [map.getZoom(), origin.x, origin.y, topLeft.x, topLeft.y, size.x, size.y, ratio].join();
      if (key === this._viewKey) { return; }
      this._viewKey = key;
      this._topLeft = map.layerPointToLatLng(topLeft);
      this._canvases.forEach(function (canvas) {
        L.DomUtil.setPosition(canvas, topLeft);
        var w = Math.round(size.x * ratio), h = Math.round(size.y * ratio);
        if (canvas.width === w && canvas.height === h) { // same size: clearing is enough
          canvas.getContext("2d").setTransform(1, 0, 0, 1, 0, 0);
          canvas.getContext("2d").clearRect(0, 0, w, h);
        } else {
          canvas.width = w;
          canvas.height = h;
        }
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
        var ctx = canvas.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.imageSmoothingEnabled = false;
      });
      this.redraw();
    },

    /**
     * {scale, dx, dy, w, h}: a point projected at zoom 0 (px, py) is at container pixel
     * (px * scale + dx, py * scale + dy); w, h is the map's size in CSS pixels.
     */
    view: function () {
      var map = this._map, size = map.getSize(), crs = map.options.crs;
      var origin = map.getPixelOrigin(), topLeft = map.containerPointToLayerPoint([0, 0]);
      return {scale: crs.scale(map.getZoom()) / crs.scale(0), dx: -origin.x - topLeft.x,
              dy: -origin.y - topLeft.y, w: size.x, h: size.y};
    },

    canvasesCreated: function () {},
    redraw: function () {}
  });

  /**
   * Every event, on two canvases. In window mode `base` holds every visible event,
   * redrawn at each step (a window holds few events). In cumulative mode `base` holds
   * the events dated before the slider's day and `top` the (larger) events of that
   * day, so playing forward only adds the newly reached days to `base`; any other
   * change redraws both.
   */
  var EventCanvas = ViewCanvas.extend({
    canvasClasses: ["frontline-events", "frontline-events-today"],

    initialize: function (owner) {
      this._owner = owner;
      this._drawnDay = null; // the slider day `base` was drawn for (null: redraw all)
    },

    canvasesCreated: function () {
      this._base = this._canvases[0];
      this._top = this._canvases[1];
    },

    onRemove: function (map) {
      ViewCanvas.prototype.onRemove.call(this, map);
      this._base = this._top = null;
    },

    /**
     * A pre-rendered marker per (type, emphasis): drawing 100,000 markers is then
     * 100,000 integer-aligned drawImage calls, not one huge path to fill and stroke.
     */
    _sprite: function (t, recent, vague) {
      var key = t + (recent ? "r" : "o") + (vague ? "v" : "");
      var cache = this._sprites || (this._sprites = {});
      var ratio = root.devicePixelRatio || 1;
      if (cache.ratio !== ratio) { cache = this._sprites = {ratio: ratio}; }
      if (!cache[key]) {
        var pts = SHAPES[this._owner.types[t].shape], extent = 1;
        (pts || []).forEach(function (p) { extent = Math.max(extent, Math.abs(p[0]), Math.abs(p[1])); });
        var r = recent ? RADIUS + 1.5 : RADIUS, half = Math.ceil(r * extent + 1);
        var canvas = document.createElement("canvas");
        canvas.width = canvas.height = Math.ceil(2 * half * ratio);
        var ctx = canvas.getContext("2d"), type = this._owner.types[t];
        ctx.scale(ratio, ratio);
        ctx.beginPath();
        tracePath(ctx, type.shape, half, half, r);
        ctx.fillStyle = type.color;
        ctx.fill();
        ctx.lineWidth = 1;
        ctx.strokeStyle = "rgba(255,255,255,0.95)";
        ctx.stroke();
        if (vague) { // dated only to the week or month: a white core, the colour as a rim
          ctx.beginPath();
          tracePath(ctx, type.shape, half, half, r * 0.45);
          ctx.fillStyle = "#ffffff";
          ctx.fill();
        }
        cache[key] = {canvas: canvas, half: half};
      }
      return cache[key];
    },

    /** Redraw everything (view, types or mode changed). */
    redraw: function () {
      this._drawnDay = null;
      this.update();
    },

    /** Bring the drawing to the owner's state, incrementally when playing forward. */
    update: function () {
      if (!this._base || !this._owner._ready) { return; } // the owner draws once it is built
      var owner = this._owner, today = owner.current, day = owner.day;
      var range = owner.visibleRange(), split = lowerBound(day, today);
      var size = this._map.getSize();
      if (this._topUsed) { // an untouched canvas costs the compositor nothing
        this._top.getContext("2d").clearRect(0, 0, size.x, size.y);
        this._topUsed = false;
      }
      if (!owner.cumulative) { // a short window: one fresh drawing, today's markers on top
        this._base.getContext("2d").clearRect(0, 0, size.x, size.y);
        owner.ndrawn = 0;
        this._drawRange(this._base, range[0], range[1], true);
        this._drawnDay = null;
        this._drawBadges(range, this._base); // one canvas changes per step
        return;
      }
      var added = this._drawnDay === null ? 0 : split - lowerBound(day, this._drawnDay);
      if (this._drawnDay !== null && today >= this._drawnDay && added < 4000) {
        owner.ndrawn = this._nBase; // forget the old day's top markers, keep base ones
        this._drawRange(this._base, lowerBound(day, this._drawnDay), split, false);
      } else {
        this._base.getContext("2d").clearRect(0, 0, size.x, size.y);
        owner.ndrawn = 0;
        this._drawPlaces(this._base, range[0], split);
      }
      this._nBase = owner.ndrawn;
      this._drawRange(this._top, split, range[1], true);
      this._topUsed = true;
      this._drawnDay = today;
      this._drawBadges(range, this._top);
    },

    /**
     * A count badge at each place with more than one visible event, on `canvas` (one
     * redrawn at every update): dense places show how much is there. The counts are
     * kept while the events shown stay the same (a zoom or pan only moves them), and
     * each badge is a pre-rendered image: a zoom of a cumulative map neither loops
     * over every event again nor lays out hundreds of texts.
     */
    _drawBadges: function (range, canvas) {
      var owner = this._owner, counted = this._badgeCounts(range);
      var places = counted.places, totals = counted.totals, reps = counted.reps;
      var v = this.view(), scale = v.scale, dx = v.dx, dy = v.dy, size = {x: v.w, y: v.h};
      var badges = [], ctx = canvas.getContext("2d"), t, n, x, y;
      for (t = 0; t < places.length; t++) {
        var i = reps[t];
        x = owner.px[i] * scale + dx + RADIUS;
        y = owner.py[i] * scale + dy - RADIUS;
        if (x < -20 || y < -20 || x > size.x + 20 || y > size.y + 20) { continue; }
        badges.push([i, totals[t], x, y]);
      }
      // The biggest counts first, one badge per 24-pixel cell: overlapping badges are
      // unreadable, and a few hundred are drawn in a few milliseconds.
      badges.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      var taken = {}, drawnBadges = 0;
      for (t = 0; t < badges.length && drawnBadges < 400; t++) {
        n = badges[t][1];
        x = badges[t][2];
        y = badges[t][3];
        var cellKey = Math.floor(x / 24) + ":" + Math.floor(y / 24);
        if (taken[cellKey]) { continue; }
        taken[cellKey] = 1;
        drawnBadges++;
        var sp = this._badgeSprite(n > 999 ? Math.round(n / 1000) + "k" : String(n));
        ctx.drawImage(sp.canvas, Math.round(x) - 2, Math.round(y) - 7, sp.w, 14);
      }
      owner.badges = badges.map(function (b) { return [b[0], b[1]]; });
    },

    /**
     * {places, totals, reps}: each place with more than one visible event (of the
     * switched-on types, kept by the filters, not areas) in `range`, its count and its
     * newest such event; computed again only when the range, types or filters changed.
     */
    _badgeCounts: function (range) {
      var owner = this._owner, on = owner.typeOn;
      var key = range[0] + "," + range[1] + "," + on.join() + "," + owner.filterVersion;
      if (this._counted && this._counted.key === key) { return this._counted; }
      var loc = owner.loc, counts = owner.locCount, rep = owner.locRep;
      var type = owner.type, keep = owner.keep, area = owner.area;
      var touched = [], i, k, t;
      for (i = range[0]; i < range[1]; i++) {
        if (!on[type[i]] || !keep[i] || area[i] >= 0) { continue; }
        k = loc[i];
        if (counts[k] === 0) { touched.push(k); }
        counts[k]++;
        rep[k] = i;
      }
      var places = [], totals = [], reps = [];
      for (t = 0; t < touched.length; t++) {
        k = touched[t];
        if (counts[k] >= 2) { places.push(k); totals.push(counts[k]); reps.push(rep[k]); }
        counts[k] = 0;
      }
      this._counted = {key: key, places: places, totals: totals, reps: reps};
      return this._counted;
    },

    /** A count badge's image ({canvas, w}: w CSS pixels wide, 14 high), made once per text. */
    _badgeSprite: function (text) {
      var ratio = root.devicePixelRatio || 1, cache = this._badgeSprites;
      if (!cache || cache.ratio !== ratio || cache.size > 2000) {
        cache = this._badgeSprites = {ratio: ratio, size: 0, map: new Map()};
      }
      var sp = cache.map.get(text);
      if (!sp) {
        var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d");
        ctx.font = "bold 10px system-ui, sans-serif";
        var w = Math.max(14, ctx.measureText(text).width + 6);
        canvas.width = Math.ceil(w * ratio);
        canvas.height = Math.ceil(14 * ratio);
        ctx = canvas.getContext("2d");
        ctx.scale(ratio, ratio);
        ctx.font = "bold 10px system-ui, sans-serif";
        ctx.textBaseline = "middle";
        ctx.fillStyle = "rgba(33, 37, 41, 0.85)";
        ctx.fillRect(0, 0, w, 14);
        ctx.fillStyle = "#ffffff";
        ctx.fillText(text, 3, 7);
        sp = {canvas: canvas, w: canvas.width / ratio};
        cache.map.set(text, sp);
        cache.size++;
      }
      return sp;
    },

    /**
     * Draw events [lo, hi) of switched-on types on `canvas`, appending their screen
     * positions to the owner's hit-test arrays. Newer events end up on top.
     *
     * `fresh` (a cleared canvas): the events are visited newest first and an event is
     * skipped when its type was already met at the same whole pixel: a type's markers
     * (exact or vague date) have one outline and are opaque, so the newer one covers
     * it. A town with a thousand reports costs one draw per type. The markers kept are
     * then drawn oldest first. Otherwise (adding the days reached while playing) every
     * event is drawn, in order, on top.
     */
    _drawRange: function (canvas, lo, hi, fresh) {
      var owner = this._owner, ctx = canvas.getContext("2d"), margin = RADIUS * 2;
      var v = this.view(), scale = v.scale, dx = v.dx, dy = v.dy, w = v.w, h = v.h;
      var px = owner.px, py = owner.py, type = owner.type, on = owner.typeOn;
      var day = owner.day, today = owner.current, tp = owner.data.tp, sprites = this._spriteList();
      var area = owner.area, keep = owner.keep;
      var gw = w + 2 * margin, gh = h + 2 * margin, seen = null;
      if (fresh) {
        if (!this._seen || this._seen.length !== gw * gh) { this._seen = new Uint32Array(gw * gh); }
        seen = this._seen;
        seen.fill(0);
      }
      var list = this._drawList(hi - lo), qx = list.x, qy = list.y, qs = list.s, nq = 0;
      var drawn = owner.drawn, sx = owner.sx, sy = owner.sy, n = owner.ndrawn;
      var count = hi - lo;
      for (var j = 0; j < count; j++) {
        var i = fresh ? hi - 1 - j : lo + j;
        var t = type[i];
        if (!on[t] || area[i] >= 0 || !keep[i]) { continue; } // areas are drawn as outlines
        var x = px[i] * scale + dx, y = py[i] * scale + dy;
        if (x < -margin || y < -margin || x >= w + margin || y >= h + margin) { continue; }
        drawn[n] = i; sx[n] = x; sy[n] = y; n++;
        // Whole pixels: sub-pixel drawImage would resample every marker.
        var ix = Math.round(x), iy = Math.round(y);
        if (seen) { // one bit per type: up to 32 types
          var cell = (iy + margin) * gw + ix + margin, bit = 1 << t;
          if (seen[cell] & bit) { continue; }
          seen[cell] |= bit;
        }
        // Today's marker is larger: met first in a fresh drawing, it covers the older
        // ones of its type at that pixel, which are skipped.
        qx[nq] = ix; qy[nq] = iy; qs[nq] = 4 * t + (day[i] === today ? 2 : 0) + (tp[i] >= 2 ? 1 : 0);
        nq++;
      }
      for (j = 0; j < nq; j++) {
        var q = fresh ? nq - 1 - j : j, sp = sprites[qs[q]];
        ctx.drawImage(sp.canvas, qx[q] - sp.half, qy[q] - sp.half, 2 * sp.half, 2 * sp.half);
      }
      owner.ndrawn = n;
    },

    /** Every type's four markers: index 4 * type + (today ? 2 : 0) + (vague date ? 1 : 0). */
    _spriteList: function () {
      var list = [];
      for (var k = 0; k < this._owner.types.length; k++) {
        list.push(this._sprite(k, false, false), this._sprite(k, false, true),
                  this._sprite(k, true, false), this._sprite(k, true, true));
      }
      return list;
    },

    /**
     * Draw events [lo, hi) on a cleared canvas place by place: what a cumulative map
     * redraws at every zoom. A place shows the newest event of each type there, newest
     * on top, as `_drawRange` would; that stack of markers is composed once into a cell
     * of an atlas canvas, reused while the same stack is met again, so each place in
     * view costs one draw. Places are drawn oldest first (by their newest event): where
     * two places overlap on screen, the newer one's whole stack lies on top (drawn event
     * by event, their markers would interleave by date; within a place nothing differs).
     */
    _drawPlaces: function (canvas, lo, hi) {
      var owner = this._owner, ctx = canvas.getContext("2d"), margin = RADIUS * 2;
      var v = this.view(), nt = owner.types.length, nloc = owner.nloc;
      var px = owner.px, py = owner.py, type = owner.type, on = owner.typeOn, loc = owner.loc;
      var tp = owner.data.tp, day = owner.day, today = owner.current, area = owner.area;
      var keep = owner.keep, st = this._stacks;
      if (!st || st.depth.length !== nloc || st.nt !== nt) {
        st = this._stacks = {met: new Uint32Array(nloc), depth: new Uint8Array(nloc), nt: nt,
                             marker: new Uint8Array(nloc * nt), order: new Int32Array(nloc),
                             rep: new Int32Array(nloc)};
      }
      st.met.fill(0);
      st.depth.fill(0);
      var places = 0, drawn = owner.drawn, sx = owner.sx, sy = owner.sy, n = owner.ndrawn, i, L;
      for (i = hi - 1; i >= lo; i--) { // newest first: a place's first event of a type is its newest
        var t = type[i];
        if (!on[t] || area[i] >= 0 || !keep[i]) { continue; } // areas are drawn as outlines
        var x = px[i] * v.scale + v.dx, y = py[i] * v.scale + v.dy;
        if (x < -margin || y < -margin || x >= v.w + margin || y >= v.h + margin) { continue; }
        drawn[n] = i; sx[n] = x; sy[n] = y; n++;
        L = loc[i];
        if (st.met[L] & (1 << t)) { continue; } // an older event of a type already there
        st.met[L] |= 1 << t;
        if (st.depth[L] === 0) { st.order[places++] = L; st.rep[L] = i; }
        st.marker[L * nt + st.depth[L]++] = 4 * t + (day[i] === today ? 2 : 0) + (tp[i] >= 2 ? 1 : 0);
      }
      owner.ndrawn = n;
      // Compose the stacks not in the atlas yet, then draw every place from it: a canvas
      // read while it is being written would be copied whole at each read.
      var sprites = this._spriteList(), keys = [], missing = 0, atlas = this._atlasFor(sprites, nloc);
      for (var k = 0; k < places; k++) {
        L = st.order[k];
        keys.push(stackKey(st.marker, L * nt, st.depth[L]));
        if (!atlas.cells.has(keys[k])) { missing++; }
      }
      if (missing > atlas.capacity - atlas.used) { atlas = this._atlasFor(sprites, nloc, true); }
      var size = atlas.cell, ratio = atlas.ratio, half = size / 2, cells = new Int32Array(places);
      for (k = 0; k < places; k++) {
        L = st.order[k];
        cells[k] = this._atlasCell(atlas, sprites, keys[k], st.marker, L * nt, st.depth[L]);
      }
      for (k = places - 1; k >= 0; k--) { // oldest first
        L = st.order[k];
        i = st.rep[L];
        var ix = Math.round(px[i] * v.scale + v.dx), iy = Math.round(py[i] * v.scale + v.dy);
        var c = cells[k];
        if (c < 0) { // no room left in the atlas: this place's markers one by one
          this._drawStack(ctx, sprites, st.marker, L * nt, st.depth[L], ix, iy);
          continue;
        }
        ctx.drawImage(atlas.canvas, (c % atlas.perRow) * size * ratio, ((c / atlas.perRow) | 0) * size * ratio,
                      size * ratio, size * ratio, ix - half, iy - half, size, size);
      }
    },

    /** Draw a place's stack of markers (stored newest first) at (x, y), oldest first. */
    _drawStack: function (ctx, sprites, marker, offset, depth, x, y) {
      for (var k = depth - 1; k >= 0; k--) {
        var sp = sprites[marker[offset + k]];
        ctx.drawImage(sp.canvas, x - sp.half, y - sp.half, 2 * sp.half, 2 * sp.half);
      }
    },

    /**
     * The atlas of composed places: square cells of `cell` CSS pixels, room for 1.5
     * cells per place within 8 million device pixels. Started afresh when the pixel
     * ratio changed, or when `fresh` (too little room left for a drawing).
     */
    _atlasFor: function (sprites, nloc, fresh) {
      var ratio = root.devicePixelRatio || 1, atlas = this._atlas, biggest = 0;
      sprites.forEach(function (sp) { biggest = Math.max(biggest, sp.half); });
      var cell = 2 * biggest + 2, device = cell * ratio;
      if (!fresh && atlas && atlas.ratio === ratio && atlas.cell === cell) { return atlas; }
      var perRow = Math.max(1, Math.floor(2048 / device));
      var capacity = Math.min(Math.ceil(1.5 * nloc) + 64, Math.floor(8e6 / (device * device)));
      var rows = Math.max(1, Math.ceil(capacity / perRow));
      var canvas = document.createElement("canvas");
      canvas.width = Math.ceil(perRow * device);
      canvas.height = Math.ceil(rows * device);
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      this._atlas = {canvas: canvas, ctx: ctx, ratio: ratio, cell: cell, perRow: perRow,
                     capacity: perRow * rows, used: 0, cells: new Map()};
      return this._atlas;
    },

    /** The atlas cell of a stack of markers, composed on first use (-1: the atlas is full). */
    _atlasCell: function (atlas, sprites, key, marker, offset, depth) {
      var c = atlas.cells.get(key);
      if (c !== undefined) { return c; }
      if (atlas.used >= atlas.capacity) { return -1; }
      c = atlas.used++;
      atlas.cells.set(key, c);
      var cx = (c % atlas.perRow) * atlas.cell + atlas.cell / 2;
      var cy = ((c / atlas.perRow) | 0) * atlas.cell + atlas.cell / 2;
      this._drawStack(atlas.ctx, sprites, marker, offset, depth, cx, cy);
      return c;
    },

    /** Reusable arrays for up to `n` markers to draw (x, y, sprite). */
    _drawList: function (n) {
      var list = this._list;
      if (!list || list.x.length < n) {
        var size = Math.max(n, 1024);
        list = this._list = {x: new Int32Array(size), y: new Int32Array(size), s: new Uint8Array(size)};
      }
      return list;
    }
  });

  /**
   * Rings at the places whose control the articles report, coloured by the latest
   * report up to the slider's day (`owner.controlAt`). One canvas under the labels:
   * a step that changes no report costs nothing, a redraw is one loop over the places.
   *
   * Each holder's rings are a light fill and an outline. Both are pre-rendered once
   * and drawn per place at whole pixels, as the event markers are: one path of
   * thousands of arcs, filled and stroked, cost a software canvas some 20 ms to
   * rasterize at every zoom. The fills are laid as opaque disks on a scratch canvas
   * first, then onto the rings' canvas at 12% opacity, so overlapping fills do not
   * add up (as they did not in one path).
   */
  var RING_R = 11;
  var RING_FILL = 0.12;
  var RingCanvas = ViewCanvas.extend({
    paneName: "frontlineControl",
    paneZ: 430,
    canvasClasses: ["frontline-control-rings"],

    initialize: function (owner) { this._owner = owner; },

    onRemove: function (map) {
      ViewCanvas.prototype.onRemove.call(this, map);
      this._scratch = null;
    },

    /** A holder's outline (`disk` false) or opaque fill (`disk` true), at the pixel ratio. */
    _sprite: function (h, disk) {
      var ratio = root.devicePixelRatio || 1, cache = this._sprites;
      if (!cache || cache.ratio !== ratio) { cache = this._sprites = {ratio: ratio}; }
      var key = h + (disk ? "d" : "r");
      if (!cache[key]) {
        var half = RING_R + 3, canvas = document.createElement("canvas");
        canvas.width = canvas.height = Math.ceil(2 * half * ratio);
        var ctx = canvas.getContext("2d");
        ctx.scale(ratio, ratio);
        ctx.beginPath();
        ctx.arc(half, half, RING_R, 0, 2 * Math.PI);
        if (disk) {
          ctx.fillStyle = HOLDERS[h][1];
          ctx.fill();
        } else {
          ctx.lineWidth = 3;
          ctx.strokeStyle = HOLDERS[h][1];
          ctx.stroke();
        }
        cache[key] = {canvas: canvas, half: half};
      }
      return cache[key];
    },

    /** A canvas the size of `canvas`, for one holder's fills. */
    _scratchFor: function (canvas) {
      var scratch = this._scratch || (this._scratch = document.createElement("canvas"));
      if (scratch.width !== canvas.width || scratch.height !== canvas.height) {
        scratch.width = canvas.width;
        scratch.height = canvas.height;
      }
      return scratch;
    },

    redraw: function () {
      var owner = this._owner, at = owner.controlAt, canvas = this._canvases && this._canvases[0];
      if (!canvas) { return; }
      var v = this.view(), ctx = canvas.getContext("2d"), margin = RING_R + 4;
      ctx.clearRect(0, 0, v.w, v.h);
      if (!at) { return; }
      var spots = {1: [], 2: [], 3: []}, control = owner.data.control, k;
      for (k = 0; k < at.length; k++) {
        var i = at[k];
        if (i < 0 || !spots[control[i]]) { continue; }
        var x = owner.px[i] * v.scale + v.dx, y = owner.py[i] * v.scale + v.dy;
        if (x < -margin || y < -margin || x > v.w + margin || y > v.h + margin) { continue; }
        spots[control[i]].push(Math.round(x), Math.round(y));
      }
      var ratio = root.devicePixelRatio || 1;
      for (var h = 1; h <= 3; h++) { // a holder's fills, then its outlines
        var xy = spots[h];
        if (!xy.length) { continue; }
        var scratch = this._scratchFor(canvas), sctx = scratch.getContext("2d");
        var disk = this._sprite(h, true), ring = this._sprite(h, false), half = disk.half;
        var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        sctx.setTransform(1, 0, 0, 1, 0, 0);
        sctx.clearRect(0, 0, scratch.width, scratch.height);
        sctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        for (k = 0; k < xy.length; k += 2) {
          sctx.drawImage(disk.canvas, xy[k] - half, xy[k + 1] - half, 2 * half, 2 * half);
          x0 = Math.min(x0, xy[k]); y0 = Math.min(y0, xy[k + 1]);
          x1 = Math.max(x1, xy[k]); y1 = Math.max(y1, xy[k + 1]);
        }
        // only the part with fills is laid on: device pixels, clamped to the canvas
        var dx0 = Math.max(0, Math.floor((x0 - half) * ratio)), dy0 = Math.max(0, Math.floor((y0 - half) * ratio));
        var dx1 = Math.min(scratch.width, Math.ceil((x1 + half) * ratio));
        var dy1 = Math.min(scratch.height, Math.ceil((y1 + half) * ratio));
        if (dx1 > dx0 && dy1 > dy0) {
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.globalAlpha = RING_FILL;
          ctx.drawImage(scratch, dx0, dy0, dx1 - dx0, dy1 - dy0, dx0, dy0, dx1 - dx0, dy1 - dy0);
          ctx.globalAlpha = 1;
          ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        }
        for (k = 0; k < xy.length; k += 2) {
          ctx.drawImage(ring.canvas, xy[k] - half, xy[k + 1] - half, 2 * half, 2 * half);
        }
      }
    }
  });

  /** A layer that only switches one event type on or off (one entry in the layer control). */
  var TypeSwitch = L.Layer.extend({
    initialize: function (owner, index) {
      this._owner = owner;
      this._index = index;
    },
    onAdd: function () { this._owner.setTypeOn(this._index, true); },
    onRemove: function () { this._owner.setTypeOn(this._index, false); }
  });

  // ---------------------------------------------------------------------------
  // Place labels: chosen by importance and zoom, placed without overlaps.
  // ---------------------------------------------------------------------------

  /** Label classes as written by frontline.mapbuild.LABEL_CLASSES (same order). */
  var LABEL_CLASSES = ["country", "sea", "region", "capital", "city", "town", "village",
                       "water", "event"];
  /** Placement order (most important first) and font of each class. */
  var LABEL_PRIORITY = {country: 0, sea: 1, region: 2, capital: 3, water: 4, city: 5, town: 6,
                        village: 7, event: 8};
  var LABEL_FONT = {
    country: "600 15px system-ui, sans-serif", sea: "italic 13px system-ui, sans-serif",
    region: "600 11px system-ui, sans-serif", capital: "700 13px system-ui, sans-serif",
    city: "600 12px system-ui, sans-serif", town: "12px system-ui, sans-serif",
    village: "11px system-ui, sans-serif", water: "italic 12px system-ui, sans-serif",
    event: "11px system-ui, sans-serif"
  };
  var POINT_CLASSES = {capital: 1, city: 1, town: 1, village: 1, event: 1};

  var LabelLayer = L.Layer.extend({
    initialize: function (labels) {
      this._measure = document.createElement("canvas").getContext("2d");
      this._labels = labels.map(function (l, k) {
        var cls = LABEL_CLASSES[l[3]] || "village";
        var text = cls === "region" ? String(l[0]).toUpperCase() : String(l[0]);
        return {text: text, lon: l[1], lat: l[2], cls: cls, zmin: l[4], zmax: l[5], order: k,
                width: -1, height: cls === "country" ? 18 : 15}; // width: measured when first placed
      }).sort(function (a, b) {
        return LABEL_PRIORITY[a.cls] - LABEL_PRIORITY[b.cls] || a.order - b.order;
      });
    },

    /** A label's width in CSS pixels (measured once, when it is first considered). */
    _width: function (l) {
      if (l.width < 0) {
        this._measure.font = LABEL_FONT[l.cls];
        l.width = Math.ceil(this._measure.measureText(l.text).width) + 4;
      }
      return l.width;
    },

    onAdd: function (map) {
      var pane = map.getPane("frontlineLabels") || map.createPane("frontlineLabels");
      pane.style.zIndex = 440; // above outlines and snapshots, below event markers
      pane.style.pointerEvents = "none";
      this._box = L.DomUtil.create("div", "frontline-labels", pane);
      map.on("moveend zoomend resize viewreset", this.update, this);
      map.on("zoomstart", this._hide, this);
      this.update();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this.update, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._box);
      this._box = null;
    },

    _hide: function () { if (this._box) { this._box.style.visibility = "hidden"; } },

    /**
     * Place the labels of this zoom, most important first, skipping any that collide.
     * Once per view: Leaflet fires several events for one change.
     */
    update: function () {
      if (!this._box) { return; }
      var map = this._map, z = map.getZoom(), size = map.getSize();
      var origin = map.getPixelOrigin(), topLeft = map.containerPointToLayerPoint([0, 0]);
      var key = [z, origin.x, origin.y, topLeft.x, topLeft.y, size.x, size.y].join();
      if (key === this._viewKey && this._box.style.visibility !== "hidden") { return; }
      this._viewKey = key;
      var placed = [], frag = document.createDocumentFragment(), shown = [];
      var cell = 64, grid = {};
      function collides(x0, y0, x1, y1) {
        for (var gx = Math.floor(x0 / cell); gx <= Math.floor(x1 / cell); gx++) {
          for (var gy = Math.floor(y0 / cell); gy <= Math.floor(y1 / cell); gy++) {
            var list = grid[gx + ":" + gy] || [];
            for (var k = 0; k < list.length; k++) {
              var b = list[k];
              if (x0 < b[2] && x1 > b[0] && y0 < b[3] && y1 > b[1]) { return true; }
            }
          }
        }
        return false;
      }
      function occupy(box) {
        for (var gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++) {
          for (var gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) {
            (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
          }
        }
      }
      for (var k = 0; k < this._labels.length && placed.length < 400; k++) {
        var l = this._labels[k];
        if (z < l.zmin || z > l.zmax) { continue; }
        var p = map.latLngToContainerPoint([l.lat, l.lon]);
        if (p.x < -50 || p.y < -20 || p.x > size.x + 50 || p.y > size.y + 20) { continue; }
        var point = POINT_CLASSES[l.cls] === 1;
        this._width(l);
        // Towns: the name right of a dot; areas: the name centred on the point.
        var x0 = point ? p.x - 3 : p.x - l.width / 2, y0 = p.y - l.height / 2;
        var x1 = point ? p.x + 6 + l.width : p.x + l.width / 2, y1 = p.y + l.height / 2;
        if (collides(x0 - 2, y0 - 1, x1 + 2, y1 + 1)) { continue; }
        occupy([x0, y0, x1, y1]);
        placed.push(l);
        var div = el("div", "frontline-label frontline-label-" + l.cls, l.text);
        var at = map.containerPointToLayerPoint([point ? p.x - 3 : x0, y0]);
        L.DomUtil.setPosition(div, at);
        frag.appendChild(div);
        shown.push(l.text);
      }
      this._box.textContent = "";
      this._box.appendChild(frag);
      this._box.style.visibility = "";
      this.shown = shown;
    }
  });

  // ---------------------------------------------------------------------------
  // The controller: state, time bar, legend, list panel, popups, snapshots.
  // ---------------------------------------------------------------------------

  var WINDOWS = [1, 3, 7, 14, 30, 90, 365];
  var HOLDERS = {1: ["Russia", "#c92a2a"], 2: ["Ukraine", "#1971c2"], 3: ["unclear", "#868e96"]};
  var MAX_ROWS = 100;         // rows of the list drawn at once ("show more" adds more)
  var LIST_QUIET = 120;       // ms without changes before the list is redrawn...
  var LIST_MAX_WAIT = 500;    // ...or at the latest this long after the first change
  var HASH_QUIET = 250;       // the same for the URL hash
  var HASH_MAX_WAIT = 1500;
  var POPUP_CHUNK = 30;       // events added to a popup at a time
  var THUMB = 16;             // slider thumb width in CSS pixels (see frontline_time.css)

  function Controller(map, layerControl, data, text) {
    var self = this, n = data.day.length;
    map.getContainer().classList.add("frontline-map");
    this.map = map;
    this.data = data;
    this.strings = data.strings;
    // The popup and list text comes in chunks of events: plain ones are ready, packed
    // ones (large maps) are unpacked when one of their events is first shown.
    this.textChunk = Math.max(1, data.textChunk || n);
    this._chunks = (text || []).map(function (chunk) { return typeof chunk === "string" ? null : chunk; });
    this._packed = (text || []).map(function (chunk) { return typeof chunk === "string" ? chunk : null; });
    this._unpacking = [];
    this.types = data.types;
    this.day = Int32Array.from(data.day);
    this.type = Uint8Array.from(data.type);
    this.area = data.area && data.area.length === n ? Int32Array.from(data.area)
      : new Int32Array(n).fill(-1);
    this.keep = new Uint8Array(n).fill(1);
    this.filterVersion = 0;
    this.window = Math.max(1, data.window | 0);
    this.cumulative = !!data.cumulative;
    this.dayMin = data.dayMin;
    this.dayMax = data.dayMax;
    this.current = typeof data.openDay === "number" ? data.openDay : data.dayMax;
    this.typeOn = this.types.map(function (t) { return !!t.on; });
    this.source = "";
    this.query = "";
    this.sortKey = "date-desc";
    this.panelOpen = (root.innerWidth || 1000) > 700;
    // One number per distinct position (events sit on a few thousand places), for the
    // count badges and control rings; each position is projected once, at zoom 0
    // (Leaflet's CRS; (lat, lon) order is Leaflet's).
    this.loc = new Int32Array(n);
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    var locs = new Map(), locX = [], locY = [], crs = map.options.crs, i;
    for (i = 0; i < n; i++) {
      // Coordinates have 5 decimals (frontline.mapbuild): exact integers make the key.
      var key = Math.round((data.lat[i] + 90) * 1e5) * 36000001 + Math.round((data.lon[i] + 180) * 1e5);
      var at = locs.get(key);
      if (at === undefined) {
        at = locs.size;
        locs.set(key, at);
        var p = crs.latLngToPoint(L.latLng(data.lat[i], data.lon[i]), 0);
        locX.push(p.x);
        locY.push(p.y);
      }
      this.loc[i] = at;
      this.px[i] = locX[at];
      this.py[i] = locY[at];
    }
    this.nloc = locs.size;
    this.locCount = new Int32Array(locs.size);
    this.locRep = new Int32Array(locs.size);
    this.badges = [];
    this.drawn = new Int32Array(n);
    this.sx = new Float32Array(n);
    this.sy = new Float32Array(n);
    this.ndrawn = 0;
    // Events at an area (region, country) and reported territory changes, by date.
    this.areaIdx = [];
    this.controlIdx = [];
    for (i = 0; i < n; i++) {
      if (this.area[i] >= 0) { this.areaIdx.push(i); }
      if (data.control && data.control[i] > 0) { this.controlIdx.push(i); }
    }
    this.areaDay = Int32Array.from(this.areaIdx.map(function (k) { return data.day[k]; }));

    var hash = readHash();
    this._applyState(hash, false);

    this.canvas = new EventCanvas(this).addTo(map); // draws once the view is set
    this.switches = this.types.map(function (t, k) {
      var layer = new TypeSwitch(self, k);
      if (self.typeOn[k]) { layer.addTo(map); }
      if (layerControl) {
        // Leaflet's control takes an HTML string: our own swatch plus escaped text.
        layerControl.addOverlay(layer, '<span class="frontline-type-label">' + swatchSvg(t, 14) +
          " " + escapeHtml(t.label + " (" + t.count + ")") + "</span>");
      }
      return layer;
    });
    this.areaGroup = L.layerGroup().addTo(map);
    this.areaLayers = {};
    if (this.areaIdx.length && layerControl) {
      layerControl.addOverlay(this.areaGroup, "Events at a region or country (outlined)");
    }
    this.controlAt = new Int32Array(this.nloc).fill(-1);
    this.rings = new RingCanvas(this);
    if (this.controlIdx.length) {
      this.rings.addTo(map);
      if (layerControl) { layerControl.addOverlay(this.rings, "Reported control (from the articles)"); }
    }
    this._buildSnapshots(layerControl);
    this._watchTiles();
    this._buildTimebar();
    this._buildLegend();
    this._buildPanel();
    if (data.mapTitle) {
      var TitleControl = L.Control.extend({
        onAdd: function () { return el("div", "frontline-title", data.mapTitle); }
      });
      new TitleControl({position: "topleft"}).addTo(map);
    }
    map.on("click", this._onClick, this);
    map.on("mousemove", this._onMove, this);
    map.on("moveend", function () { self._scheduleList(); self._scheduleHash(); });
    L.DomEvent.on(root, "resize", function () { self._layout(); self._drawHistogram(); });
    L.DomEvent.on(root, "beforeprint", function () { if (self.legendBox) { self.legendBox.open = true; } });
    L.DomEvent.on(root, "hashchange", function () {
      if (root.location.hash !== self._lastHash) { self._applyState(readHash(), true); }
    });
    this._layout();
    if (hash.z !== undefined && hash.lat !== undefined) {
      map.setView([hash.lat, hash.lon], hash.z, {animate: false});
    } else if (data.bounds) { // the events, clear of the time bar and the open list
      var b = data.bounds, panelWide = this.panelOpen && !map.getContainer().classList.contains("frontline-narrow");
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {
        paddingTopLeft: [40, 40], animate: false,
        paddingBottomRight: [panelWide ? this.panel.offsetWidth + 40 : 40,
                             this.timebar.offsetHeight + (panelWide ? 30 : this.panel.offsetHeight + 20)]});
    }
    // Labels and markers are drawn once, for the view just set.
    this.labels = new LabelLayer(data.labels || []).addTo(map);
    this._ready = true; // from here on, every change redraws
    this._applyFilters();
    this.setDay(this.current);
  }

  /** The view state written in the URL hash (date, window, zoom, centre, filters, panel). */
  function readHash() {
    var out = {}, text = (root.location.hash || "").replace(/^#/, "");
    if (!text) { return out; }
    var params;
    try { params = new URLSearchParams(text); } catch (err) { return out; }
    var d = params.get("date");
    if (d && /^\d{4}-\d{2}-\d{2}$/.test(d)) {
      var ms = Date.parse(d + "T00:00:00Z");
      if (!isNaN(ms)) { out.day = Math.round(ms / DAY_MS); }
    }
    var w = parseInt(params.get("window"), 10);
    if (w >= 1 && w <= 100000) { out.window = w; }
    if (params.has("cumulative")) { out.cumulative = params.get("cumulative") === "1"; }
    var z = parseFloat(params.get("zoom")), c = (params.get("center") || "").split(",");
    var lat = parseFloat(c[0]), lon = parseFloat(c[1]);
    if (isFinite(z) && isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      out.z = Math.max(0, Math.min(19, z));
      out.lat = lat;
      out.lon = lon;
    }
    if (params.has("types")) { out.types = params.get("types").split(",").filter(Boolean); }
    if (params.has("source")) { out.source = params.get("source"); }
    if (params.has("q")) { out.query = params.get("q"); }
    if (params.has("panel")) { out.panel = params.get("panel") === "1"; }
    if (params.has("sort")) { out.sort = params.get("sort"); }
    return out;
  }

  Controller.prototype = {
    /** [lo, hi) indices of the events inside the current window (and the time axis). */
    visibleRange: function () {
      var start = this.cumulative ? this.dayMin : Math.max(this.dayMin, this.current - this.window + 1);
      return [lowerBound(this.day, start), lowerBound(this.day, this.current + 1)];
    },

    /** True when no type is off and no source or place filter is set. */
    _unfiltered: function () {
      return !this.source && !this.query && this.typeOn.every(Boolean);
    },

    /** Whether event i passes the type, source and place filters. */
    shows: function (i) {
      return this.typeOn[this.type[i]] && this.keep[i] === 1;
    },

    /** Indices of visible events of switched-on types, in date order (used by tests). */
    visibleIndices: function () {
      var range = this.visibleRange(), out = [];
      for (var i = range[0]; i < range[1]; i++) {
        if (this.shows(i)) { out.push(i); }
      }
      return out;
    },

    /** A promise of the event ids of visible events (for tests and tools). */
    visibleIds: function () {
      var self = this, indices = this.visibleIndices();
      return this.loadText(indices).then(function () {
        return indices.map(function (i) { return self._str("id", i); });
      });
    },

    /** A promise of the index of the event with this id (-1 if none). */
    indexOfId: function (id) {
      var self = this, all = [];
      for (var i = 0; i < this.day.length; i++) { all.push(i); }
      return this.loadText(all).then(function () {
        for (var k = 0; k < all.length; k++) { if (self._str("id", k) === id) { return k; } }
        return -1;
      });
    },

    /** A promise resolved once the text of every event in `indices` is unpacked. */
    loadText: function (indices) {
      var wanted = {}, waits = [];
      for (var k = 0; k < indices.length; k++) { wanted[(indices[k] / this.textChunk) | 0] = 1; }
      for (var c in wanted) { waits.push(this._unpackChunk(+c)); }
      return Promise.all(waits);
    },

    /** Whether the text of every event in `indices` is unpacked. */
    _textReady: function (indices) {
      for (var k = 0; k < indices.length; k++) {
        if (!this._chunks[(indices[k] / this.textChunk) | 0]) { return false; }
      }
      return true;
    },

    /** Run `fn` once the events' text is there: at once when it is (the usual case). */
    _withText: function (indices, fn) {
      if (!this._textReady(indices)) { return this.loadText(indices).then(fn); }
      fn();
      return Promise.resolve();
    },

    _unpackChunk: function (c) {
      var self = this;
      if (this._chunks[c] || !this._packed[c]) { return Promise.resolve(); }
      if (!this._unpacking[c]) {
        this._unpacking[c] = unpackJson(this._packed[c]).then(function (chunk) {
          self._chunks[c] = chunk;
          self._packed[c] = null;
        });
      }
      return this._unpacking[c];
    },

    /** Container pixel of event i (for tests and tools). */
    screenPoint: function (i) {
      var p = this.map.latLngToContainerPoint([this.data.lat[i], this.data.lon[i]]);
      return [p.x, p.y];
    },

    setDay: function (day) {
      this.current = Math.min(this.dayMax, Math.max(this.dayMin, day | 0));
      if (this.slider) { this.slider.value = String(this.current - this.dayMin); }
      this._refresh(false);
    },

    setWindow: function (days) {
      this.window = Math.max(1, days | 0);
      if (this.windowSelect) { this._fillWindowSelect(); }
      this._refresh(true);
    },

    setCumulative: function (flag) {
      this.cumulative = !!flag;
      if (this.cumulativeBox) { this.cumulativeBox.checked = this.cumulative; }
      this._refresh(true);
    },

    /** Switch a type on or off from anywhere (legend, hash): the layer control follows. */
    toggleType: function (k, flag) {
      if (flag === undefined) { flag = !this.typeOn[k]; }
      if (flag) { this.map.addLayer(this.switches[k]); } else { this.map.removeLayer(this.switches[k]); }
    },

    setTypeOn: function (k, flag) {
      this.typeOn[k] = !!flag;
      if (!this._ready) { return; } // the constructor draws once at its end
      var row = this.legendRows[k];
      row.classList.toggle("frontline-off", !flag);
      row.setAttribute("aria-pressed", flag ? "true" : "false");
      this._drawHistogram();
      this._refresh(true);
    },

    setSource: function (source) {
      this.source = source || "";
      if (this.sourceSelect) { this.sourceSelect.value = this.source; }
      this._applyFilters();
      this._drawHistogram();
      this._refresh(true);
    },

    setQuery: function (text) {
      this.query = String(text || "").trim();
      if (this.searchBox && this.searchBox.value !== this.query) { this.searchBox.value = this.query; }
      this._applyFilters();
      this._drawHistogram();
      this._refresh(true);
    },

    setPanel: function (open) {
      this.panelOpen = !!open;
      if (!this.panel) { return; }
      this.panel.classList.toggle("frontline-panel-closed", !this.panelOpen);
      this.panelToggle.setAttribute("aria-expanded", this.panelOpen ? "true" : "false");
      this.panelToggle.textContent = this.panelOpen ? "Hide list" : "List";
      this._layout();
      this._scheduleList();
      this._scheduleHash();
    },

    /** Apply a state read from the URL hash; `live` when the page is already built. */
    _applyState: function (state, live) {
      var self = this;
      if (state.window) { this.window = state.window; }
      if (state.cumulative !== undefined) { this.cumulative = state.cumulative; }
      if (state.day !== undefined) { this.current = Math.min(this.dayMax, Math.max(this.dayMin, state.day)); }
      if (state.source !== undefined) { this.source = state.source; }
      if (state.query !== undefined) { this.query = state.query; }
      if (state.panel !== undefined) { this.panelOpen = state.panel; }
      if (state.sort) { this.sortKey = state.sort; }
      var wanted = state.types ? this.types.map(function (t) { return state.types.indexOf(t.key) >= 0; }) : null;
      if (!live) {
        if (wanted) { this.typeOn = wanted; }
        return;
      }
      if (wanted) { wanted.forEach(function (on, k) { if (on !== self.typeOn[k]) { self.toggleType(k, on); } }); }
      if (state.z !== undefined) { this.map.setView([state.lat, state.lon], state.z, {animate: false}); }
      if (this.windowSelect) { this._fillWindowSelect(); }
      if (this.cumulativeBox) { this.cumulativeBox.checked = this.cumulative; }
      if (this.sourceSelect) { this.sourceSelect.value = this.source; }
      if (this.searchBox) { this.searchBox.value = this.query; }
      if (this.sortSelect) { this.sortSelect.value = this.sortKey; }
      this.setPanel(this.panelOpen);
      this._applyFilters();
      this._drawHistogram();
      this.setDay(this.current);
    },

    /** Redraw after a change of day (incremental) or of anything else (`full`). */
    _refresh: function (full) {
      if (!this._ready) { return; }
      this._updateSnapshots();
      if (full) { this.canvas.redraw(); } else { this.canvas.update(); }
      this._updateAreas();
      this._updateControl();
      this._updateLabels();
      this._scheduleList();
      this._scheduleHash();
    },

    /** The source and place-search filters as one flag per event. */
    _applyFilters: function () {
      var n = this.day.length, src = this.data.source, place = this.data.place;
      var strings = this.strings, q = this.query.toLowerCase(), wantSrc = this.source;
      var matches = {};
      for (var i = 0; i < n; i++) {
        var ok = true;
        if (wantSrc) { ok = src[i] >= 0 && strings[src[i]] === wantSrc; }
        if (ok && q) {
          var key = place[i];
          if (!(key in matches)) {
            var name = key >= 0 ? strings[key].toLowerCase() : "";
            var admin = this.data.admin1[i] >= 0 ? strings[this.data.admin1[i]].toLowerCase() : "";
            matches[key] = name.indexOf(q) >= 0 || admin.indexOf(q) >= 0;
          }
          ok = matches[key];
        }
        this.keep[i] = ok ? 1 : 0;
      }
      this.filterVersion++; // the events kept changed (see EventCanvas._badgeCounts)
    },

    play: function () {
      var self = this;
      if (this._timer) { return; }
      if (this.current >= this.dayMax) { this.setDay(this.dayMin); }
      var last = null, carry = 0;
      function tick(now) {
        if (last !== null) {
          carry += ((now - last) / 1000) * self.speed;
          var steps = Math.floor(carry);
          if (steps > 0) {
            carry -= steps;
            self.setDay(self.current + steps);
          }
        }
        last = now;
        if (self.current >= self.dayMax) { self.pause(); return; }
        self._timer = root.requestAnimationFrame(tick);
      }
      this._timer = root.requestAnimationFrame(tick);
      this.playButton.textContent = "\u275A\u275A";
      this.playButton.title = "Pause";
      this.playButton.setAttribute("aria-label", "Pause");
    },

    pause: function () {
      if (this._timer) { root.cancelAnimationFrame(this._timer); }
      this._timer = null;
      this.playButton.textContent = "\u25B6";
      this.playButton.title = "Play";
      this.playButton.setAttribute("aria-label", "Play");
    },

    /** Number of visible events (all filters, whole map). */
    visibleCount: function () {
      var range = this.visibleRange(), count = 0;
      if (this._unfiltered()) { return range[1] - range[0]; }
      for (var i = range[0]; i < range[1]; i++) { if (this.shows(i)) { count++; } }
      return count;
    },

    _updateLabels: function () {
      if (!this.dateLabel) { return; }
      var from = this.cumulative ? this.dayMin : Math.max(this.dayMin, this.current - this.window + 1);
      var iso = dayToIso(this.current);
      this.dateLabel.textContent = iso;
      this.dateLabel.title = this.cumulative
        ? "all events up to " + iso
        : "events dated " + dayToIso(from) + " to " + iso;
      var count = this.visibleCount();
      this.countLabel.textContent = count + (count === 1 ? " event" : " events");
      this.slider.setAttribute("aria-valuetext", iso + ", " + count + (count === 1 ? " event" : " events") +
        (this.cumulative ? " up to this date" : " in " + this.window + " days"));
      if (this.snapshotLabel) {
        var shown = this.snapshots.filter(function (s) { return s.shown; });
        this.snapshotLabel.textContent = shown.length
          ? "front line: " + shown.map(function (s) { return s.label; }).join("; ") : "";
      }
      this._placeWindowMark();
    },

    // ----------------------------------------------------------------- time bar

    _buildTimebar: function () {
      var self = this, box = el("div", "frontline-timebar");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Time");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var row = el("div", "frontline-timebar-row");
      var play = el("button", "frontline-play", "\u25B6");
      play.type = "button";
      play.title = "Play";
      play.setAttribute("aria-label", "Play");
      L.DomEvent.on(play, "click", function () { if (self._timer) { self.pause(); } else { self.play(); } });
      var date = el("span", "frontline-date");
      var windowLabel = el("label", "frontline-window");
      windowLabel.appendChild(document.createTextNode("window "));
      var windowSelect = el("select");
      windowSelect.setAttribute("aria-label", "Days shown before the date");
      L.DomEvent.on(windowSelect, "change", function () { self.setWindow(parseInt(windowSelect.value, 10)); });
      windowLabel.appendChild(windowSelect);
      var cumLabel = el("label", "frontline-cumulative");
      var cum = el("input");
      cum.type = "checkbox";
      cum.checked = self.cumulative;
      L.DomEvent.on(cum, "change", function () { self.setCumulative(cum.checked); });
      cumLabel.appendChild(cum);
      cumLabel.appendChild(document.createTextNode(" all up to date"));
      cumLabel.title = "Show every event up to the date (cumulative) instead of the window";
      var speed = el("select", "frontline-speed");
      speed.title = "Days per second while playing";
      speed.setAttribute("aria-label", "Playing speed, days per second");
      [1, 2, 7, 14, 30].forEach(function (v) {
        var opt = el("option", null, v + " d/s");
        opt.value = String(v);
        if (v === 7) { opt.selected = true; }
        speed.appendChild(opt);
      });
      self.speed = 7;
      L.DomEvent.on(speed, "change", function () { self.speed = parseInt(speed.value, 10); });
      var count = el("span", "frontline-count");
      count.setAttribute("aria-live", "polite");
      [play, date, windowLabel, cumLabel, speed, count].forEach(function (c) { row.appendChild(c); });
      var snap = el("div", "frontline-snapshot");
      var hist = el("div", "frontline-hist-wrap");
      var canvas = el("canvas", "frontline-hist");
      canvas.setAttribute("aria-hidden", "true");
      var mark = el("div", "frontline-window-mark");
      var slider = el("input", "frontline-slider");
      slider.type = "range";
      slider.min = "0";
      slider.max = String(self.dayMax - self.dayMin);
      slider.step = "1";
      slider.setAttribute("aria-label", "Date");
      L.DomEvent.on(slider, "input change", function () {
        self.setDay(self.dayMin + parseInt(slider.value, 10));
      });
      [canvas, mark, slider].forEach(function (c) { hist.appendChild(c); });
      var ticks = el("div", "frontline-ticks");
      ticks.setAttribute("aria-hidden", "true");
      [row, hist, ticks, snap].forEach(function (c) { box.appendChild(c); });
      this.map.getContainer().appendChild(box);
      if (root.ResizeObserver) { new root.ResizeObserver(function () { self._layout(); }).observe(box); }
      this.timebar = box;
      this.playButton = play;
      this.slider = slider;
      this.dateLabel = date;
      this.windowSelect = windowSelect;
      this.cumulativeBox = cum;
      this.countLabel = count;
      this.snapshotLabel = this.snapshots.length ? snap : null;
      this.histCanvas = canvas;
      this.windowMark = mark;
      this.ticks = ticks;
      this._fillWindowSelect();
      this._drawHistogram();
    },

    _fillWindowSelect: function () {
      var select = this.windowSelect, self = this;
      select.textContent = "";
      var choices = WINDOWS.slice();
      if (choices.indexOf(this.window) < 0) { choices.push(this.window); choices.sort(function (a, b) { return a - b; }); }
      choices.forEach(function (v) {
        var opt = el("option", null, v === 1 ? "1 day" : v + " days");
        opt.value = String(v);
        opt.selected = v === self.window;
        select.appendChild(opt);
      });
    },

    /** x position (CSS px inside the histogram) of a day: where the slider thumb sits. */
    _dayX: function (day) {
      var width = this._histWidth || 1, span = Math.max(1, this.dayMax - this.dayMin);
      return THUMB / 2 + ((day - this.dayMin) / span) * (width - THUMB);
    },

    /**
     * Events per bin of days, stacked by type (switched-on types, all filters), with
     * month or year ticks and the first and last date. `histogram` keeps the counts.
     */
    _drawHistogram: function () {
      var canvas = this.histCanvas;
      if (!canvas) { return; }
      var width = canvas.clientWidth || 300, height = canvas.clientHeight || 40;
      this._histWidth = width; // read once here: a read at every step would force a layout
      var ratio = root.devicePixelRatio || 1, span = this.dayMax - this.dayMin + 1;
      var usable = Math.max(10, width - THUMB);
      var binDays = Math.max(1, Math.ceil(span / Math.floor(usable / 2)));
      var nbins = Math.ceil(span / binDays), nt = this.types.length;
      var counts = new Int32Array(nbins * nt), totals = new Int32Array(nbins), b, t;
      if (!this.source && !this.query) { // types only: from the per-day counts, not every event
        var perDay = this._dayTypeCounts();
        for (var d = 0; d < span; d++) {
          b = (d / binDays) | 0;
          for (t = 0; t < nt; t++) {
            var k = perDay[d * nt + t];
            if (k && this.typeOn[t]) { counts[b * nt + t] += k; totals[b] += k; }
          }
        }
      } else {
        var lo = lowerBound(this.day, this.dayMin), hi = lowerBound(this.day, this.dayMax + 1);
        for (var i = lo; i < hi; i++) {
          if (!this.shows(i)) { continue; }
          b = ((this.day[i] - this.dayMin) / binDays) | 0;
          counts[b * nt + this.type[i]]++;
          totals[b]++;
        }
      }
      var max = 1;
      for (b = 0; b < nbins; b++) { if (totals[b] > max) { max = totals[b]; } }
      this.histogram = {start: this.dayMin, binDays: binDays, totals: Array.from(totals), max: max};
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      var barW = Math.max(1, (usable * binDays) / Math.max(1, span - 1 + binDays) - 0.5);
      for (b = 0; b < nbins; b++) {
        if (!totals[b]) { continue; }
        var x = this._dayX(this.dayMin + b * binDays) - barW / 2, y = height;
        for (t = 0; t < nt; t++) {
          var c = counts[b * nt + t];
          if (!c) { continue; }
          var h = (c / max) * (height - 4);
          ctx.fillStyle = this.types[t].color;
          ctx.fillRect(x, y - h, barW, h);
          y -= h;
        }
      }
      this._drawTicks();
      this._placeWindowMark();
    },

    /** Events per (day of the axis, type), counted once: [day * ntypes + type]. */
    _dayTypeCounts: function () {
      if (!this._perDay) {
        var nt = this.types.length, span = this.dayMax - this.dayMin + 1;
        var perDay = this._perDay = new Int32Array(span * nt);
        var lo = lowerBound(this.day, this.dayMin), hi = lowerBound(this.day, this.dayMax + 1);
        for (var i = lo; i < hi; i++) { perDay[(this.day[i] - this.dayMin) * nt + this.type[i]]++; }
      }
      return this._perDay;
    },

    _drawTicks: function () {
      var box = this.ticks, self = this;
      box.textContent = "";
      var width = this.histCanvas.clientWidth || 300;
      var first = new Date(this.dayMin * DAY_MS), span = this.dayMax - this.dayMin;
      // Up to ~2 years: a tick per month (labelled every 1 or 3), the year at January;
      // longer: a labelled tick per year and a bare one per quarter.
      var years = span > 800, every = span <= 200 ? 1 : 3;
      box.appendChild(el("span", "frontline-tick-edge frontline-tick-start", dayToIso(this.dayMin)));
      box.appendChild(el("span", "frontline-tick-edge frontline-tick-end", dayToIso(this.dayMax)));
      var y = first.getUTCFullYear(), m = first.getUTCMonth() + 1, placedRight = -1e9;
      for (var guard = 0; guard < 1200; guard++, m++) {
        if (m > 11) { y += 1; m = 0; }
        var day = Math.round(Date.UTC(y, m, 1) / DAY_MS);
        if (day > this.dayMax) { break; }
        var labelled = m === 0 || (!years && m % every === 0);
        if (years && m % 3 !== 0) { continue; }
        var x = self._dayX(day);
        var text = m === 0 ? String(y) : MONTHS[m];
        // Labels closer than ~80 px to the edge dates are left out (the edges say it).
        var room = x > 80 && x < width - 80 && x - placedRight > (m === 0 ? 34 : 28);
        var tick = el("span", "frontline-tick" + (m === 0 ? " frontline-tick-year" : "") +
                      (labelled && room ? "" : " frontline-tick-bare"), labelled && room ? text : null);
        tick.style.left = x + "px";
        box.appendChild(tick);
        if (labelled && room) { placedRight = x; }
      }
    },

    _placeWindowMark: function () {
      if (!this.windowMark) { return; }
      var from = this.cumulative ? this.dayMin : Math.max(this.dayMin, this.current - this.window + 1);
      var x0 = this._dayX(from - 0.5), x1 = this._dayX(this.current + 0.5);
      this.windowMark.style.left = x0 + "px";
      this.windowMark.style.width = Math.max(2, x1 - x0) + "px";
    },

    /** Keep Leaflet's bottom controls above the time bar (its height varies with width). */
    _layout: function () {
      var container = this.map.getContainer();
      if (this.timebar) {
        container.style.setProperty("--frontline-timebar", this.timebar.offsetHeight + "px");
      }
      var narrow = container.clientWidth <= 640;
      container.classList.toggle("frontline-narrow", narrow);
      // On a phone the open list is a bottom sheet: Leaflet's bottom corners sit above it.
      var sheet = narrow && this.panel && this.panelOpen
        ? Math.ceil(this.panel.getBoundingClientRect().height) + 1 : 0;
      container.style.setProperty("--frontline-sheet", sheet + "px");
    },

    // ----------------------------------------------------------------- legend

    _buildLegend: function () {
      var self = this;
      var Legend = L.Control.extend({
        onAdd: function () {
          var box = el("details", "frontline-legend");
          box.open = (root.innerWidth || 1000) > 640;
          L.DomEvent.disableClickPropagation(box);
          L.DomEvent.disableScrollPropagation(box);
          box.appendChild(el("summary", "frontline-legend-title", "Legend"));
          box.appendChild(el("div", "frontline-legend-head", "Event types (click to filter)"));
          self.legendRows = self.types.map(function (t, k) {
            var row = el("button", "frontline-legend-row" + (self.typeOn[k] ? "" : " frontline-off"));
            row.type = "button";
            row.setAttribute("aria-pressed", self.typeOn[k] ? "true" : "false");
            row.setAttribute("data-type", t.key);
            row.appendChild(swatch(t, 14));
            row.appendChild(el("span", null, t.label + " (" + t.count + ")"));
            L.DomEvent.on(row, "click", function () { self.toggleType(k); });
            box.appendChild(row);
            return row;
          });
          var hollow = el("div", "frontline-legend-note");
          var ring = swatch({shape: "circle", color: "#495057"}, 14);
          var ctx = ring.getContext("2d");
          ctx.beginPath();
          ctx.arc(7, 7, 2.4, 0, 2 * Math.PI);
          ctx.fillStyle = "#ffffff";
          ctx.fill();
          hollow.appendChild(ring);
          hollow.appendChild(document.createTextNode(
            " Hollow: dated only to the week or month. Larger: dated the slider's day."));
          box.appendChild(hollow);
          if (self.areaIdx.length) {
            var areaNote = el("div", "frontline-legend-note");
            areaNote.appendChild(el("span", "frontline-area-swatch"));
            areaNote.appendChild(document.createTextNode(" Outlined area: an event placed only at a region or country."));
            box.appendChild(areaNote);
          }
          if (self.controlIdx.length) {
            box.appendChild(el("div", "frontline-legend-head", "Reported control (latest report up to the date)"));
            [1, 2, 3].forEach(function (h) {
              var r = el("div", "frontline-legend-item");
              var dot = el("span", "frontline-control-swatch");
              dot.style.borderColor = HOLDERS[h][1];
              r.appendChild(dot);
              r.appendChild(document.createTextNode(h === 3 ? " control unclear" : " held by " + HOLDERS[h][0]));
              box.appendChild(r);
            });
          }
          var layers = [], seen = {};
          self.snapshots.forEach(function (s) {
            if (!seen[s.layer]) { seen[s.layer] = 1; layers.push(s); }
          });
          if (layers.length) {
            box.appendChild(el("div", "frontline-legend-head", "Front line (your files)"));
            layers.forEach(function (s) {
              var r = el("div", "frontline-legend-item");
              var sw = el("span", "frontline-front-swatch");
              var st = self._frontStyle(s.style);
              sw.style.borderColor = st.color;
              sw.style.background = st.fill_opacity > 0 ? st.fill : "transparent";
              sw.style.opacity = "0.85";
              if (st.dash) { sw.style.borderStyle = "dashed"; }
              r.appendChild(sw);
              r.appendChild(document.createTextNode(" " + s.layer));
              box.appendChild(r);
            });
          }
          box.appendChild(el("div", "frontline-legend-note frontline-legend-window",
            "Window: the " + self.window + " days up to the slider's date."));
          self.legendBox = box;
          return box;
        }
      });
      // On a phone the bottom is the time bar's and the attribution's: the legend goes up.
      var narrow = this.map.getContainer().clientWidth <= 640;
      new Legend({position: narrow ? "topleft" : "bottomleft"}).addTo(this.map);
    },

    // ----------------------------------------------------------------- list panel

    _buildPanel: function () {
      var self = this, panel = el("section", "frontline-panel");
      panel.setAttribute("aria-label", "Events in view");
      L.DomEvent.disableClickPropagation(panel);
      L.DomEvent.disableScrollPropagation(panel);
      var head = el("div", "frontline-panel-head");
      var title = el("h2", "frontline-panel-title", "Events in view");
      var toggle = el("button", "frontline-panel-toggle", "Hide list");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "true");
      L.DomEvent.on(toggle, "click", function () { self.setPanel(!self.panelOpen); });
      head.appendChild(title);
      head.appendChild(toggle);
      var body = el("div", "frontline-panel-body");
      var tools = el("div", "frontline-panel-tools");
      var search = el("input", "frontline-search");
      search.type = "search";
      search.placeholder = "Search places";
      search.setAttribute("aria-label", "Search places");
      search.value = this.query;
      var typing = null;
      L.DomEvent.on(search, "input", function () {
        clearTimeout(typing);
        typing = setTimeout(function () { self.setQuery(search.value); }, 150);
      });
      L.DomEvent.on(search, "keydown", function (ev) {
        if (ev.key === "Enter") { clearTimeout(typing); self.setQuery(search.value); self._flyToMatches(); }
      });
      var sources = el("select", "frontline-source-filter");
      sources.setAttribute("aria-label", "Source");
      var all = el("option", null, "All sources");
      all.value = "";
      sources.appendChild(all);
      var names = {};
      this.data.source.forEach(function (k) { if (k >= 0) { names[self.strings[k]] = 1; } });
      Object.keys(names).sort().forEach(function (name) {
        var opt = el("option", null, name);
        opt.value = name;
        sources.appendChild(opt);
      });
      sources.value = this.source;
      L.DomEvent.on(sources, "change", function () { self.setSource(sources.value); });
      var sort = el("select", "frontline-sort");
      sort.setAttribute("aria-label", "Sort the list");
      [["date-desc", "Newest first"], ["date-asc", "Oldest first"], ["place", "By place"],
       ["type", "By type"]].forEach(function (o) {
        var opt = el("option", null, o[1]);
        opt.value = o[0];
        sort.appendChild(opt);
      });
      sort.value = this.sortKey;
      L.DomEvent.on(sort, "change", function () { self.sortKey = sort.value; self._scheduleList(); self._scheduleHash(); });
      var csv = el("button", "frontline-csv", "Download CSV");
      csv.type = "button";
      csv.title = "The events listed (in view, this window, these filters) as a CSV file";
      L.DomEvent.on(csv, "click", function () { self.downloadCsv(); });
      [search, sources, sort, csv].forEach(function (c) { tools.appendChild(c); });
      var summary = el("div", "frontline-panel-summary");
      summary.setAttribute("aria-live", "polite");
      var list = el("ol", "frontline-list");
      list.setAttribute("aria-label", "Events, newest first");
      L.DomEvent.on(list, "keydown", function (ev) { self._listKey(ev); });
      var more = el("button", "frontline-list-more");
      more.type = "button";
      more.hidden = true;
      L.DomEvent.on(more, "click", function () { self._rowLimit += MAX_ROWS; self._renderList(); });
      body.appendChild(tools);
      body.appendChild(summary);
      body.appendChild(list);
      body.appendChild(more);
      if (this.data.outliers && this.data.outliers.length) {
        body.appendChild(this._outlierList());
      }
      panel.appendChild(head);
      panel.appendChild(body);
      this.map.getContainer().appendChild(panel);
      if (root.ResizeObserver) { new root.ResizeObserver(function () { self._layout(); }).observe(panel); }
      this.panel = panel;
      this.panelToggle = toggle;
      this.searchBox = search;
      this.sourceSelect = sources;
      this.sortSelect = sort;
      this.listSummary = summary;
      this.list = list;
      this.listMore = more;
      this._rowLimit = MAX_ROWS;
      this.setPanel(this.panelOpen);
    },

    /** Events dated outside the time axis (e.g. 1939 in a 2022 corpus), listed. */
    _outlierList: function () {
      var self = this, box = el("details", "frontline-outliers");
      var out = this.data.outliers;
      box.appendChild(el("summary", null, out.length + (out.length === 1 ? " event" : " events") +
        " dated outside the time axis (not on the slider)"));
      var list = el("ul"), first = out.slice(0, 500);
      this._withText(first, function () {
        first.forEach(function (i) {
          var li = el("li");
          li.appendChild(el("strong", null, dayToIso(self.day[i]) + " "));
          li.appendChild(document.createTextNode(self._str("place", i) + ": " + self._str("quote", i)));
          list.appendChild(li);
        });
      });
      box.appendChild(list);
      return box;
    },

    /** Indices listed in the panel: visible, inside the map's view, sorted. */
    listIndices: function () {
      var bounds = this.map.getBounds(), range = this.visibleRange(), out = [];
      var s = bounds.getSouth(), w = bounds.getWest(), nn = bounds.getNorth(), e = bounds.getEast();
      var lat = this.data.lat, lon = this.data.lon;
      for (var i = range[0]; i < range[1]; i++) {
        if (!this.shows(i)) { continue; }
        if (this.area[i] < 0 && (lat[i] < s || lat[i] > nn || lon[i] < w || lon[i] > e)) { continue; }
        out.push(i);
      }
      var self = this, key = this.sortKey;
      if (key === "date-desc") { out.reverse(); }
      else if (key === "place") {
        out.sort(function (a, b) { return self._str("place", a).localeCompare(self._str("place", b)) || b - a; });
      } else if (key === "type") {
        out.sort(function (a, b) { return self.type[a] - self.type[b] || b - a; });
      }
      return out;
    },

    /**
     * Redraw the list once changes pause: a slider drag, playing or zooming changes the
     * view many times a second, the list follows LIST_QUIET ms after the last change,
     * and at least every LIST_MAX_WAIT ms while changes go on (`listReady` resolves).
     */
    _scheduleList: function () {
      var self = this, now = Date.now();
      if (!this.list) { return; }
      if (!this._listQueued) { this._listQueued = true; this._listSince = now; }
      clearTimeout(this._listTimer);
      var wait = Math.max(0, Math.min(LIST_QUIET, this._listSince + LIST_MAX_WAIT - now));
      this._listTimer = setTimeout(function () {
        self._listQueued = false;
        self._renderList();
      }, wait);
    },

    /** A promise resolved once the list shows the current state (for tests and tools). */
    listReady: function () {
      var self = this;
      return new Promise(function (resolve) {
        (function wait() {
          if (self._listQueued || self._listWaiting) { setTimeout(wait, 20); } else { resolve(true); }
        })();
      });
    },

    _renderList: function () {
      if (!this.panelOpen) {
        this.listSummary.textContent = "";
        return;
      }
      var self = this, rows = this.listIndices(), list = this.list;
      var shown = rows.slice(0, this._rowLimit);
      if (!this._textReady(shown)) { // unpack the rows' text first, then draw the list as it is then
        this._listWaiting = true;
        this.loadText(shown).then(function () {
          self._listWaiting = false;
          self._renderList();
        });
        return;
      }
      var focused = document.activeElement && document.activeElement.parentNode === list
        ? document.activeElement.getAttribute("data-index") : null;
      this.listed = rows;
      // Rows of events already listed are kept (their content never changes): a redraw
      // builds only the new ones and touches the DOM only when the order changed.
      var before = this._rowNodes || new Map(), now = new Map(), nodes = [], same = true;
      var children = list.children, active = this._active;
      shown.forEach(function (i, k) {
        var li = before.get(i) || self._row(i);
        li.classList.toggle("frontline-row-active", !!active && active[i] === 1);
        now.set(i, li);
        nodes.push(li);
        if (children[k] !== li) { same = false; }
      });
      this._rowNodes = now;
      if (!same || children.length !== nodes.length) {
        list.replaceChildren.apply(list, nodes);
        if (focused !== null) { // a redraw keeps the keyboard user's place
          var again = now.get(parseInt(focused, 10));
          if (again) { again.focus({preventScroll: true}); }
        }
      }
      this.listSummary.textContent = rows.length + (rows.length === 1 ? " event" : " events") +
        " in view" + (this.cumulative ? " up to " : " in the window ending ") + dayToIso(this.current);
      var rest = rows.length - Math.min(rows.length, this._rowLimit);
      this.listMore.hidden = rest <= 0;
      this.listMore.textContent = "Show " + Math.min(rest, MAX_ROWS) + " more of " + rest;
    },

    _row: function (i) {
      var self = this, li = el("li", "frontline-row");
      li.tabIndex = 0;
      li.setAttribute("data-index", String(i));
      li.setAttribute("data-event-id", this._str("id", i));
      var t = this.types[this.type[i]];
      var head = el("div", "frontline-row-head");
      head.appendChild(this._swatchImage(this.type[i]));
      head.appendChild(el("span", "frontline-row-date", dayToIso(this.day[i])));
      head.appendChild(el("span", "frontline-row-place", this._str("place", i)));
      head.appendChild(el("span", "frontline-row-type", t.label));
      li.appendChild(head);
      var quote = this._str("quote", i);
      if (quote) { li.appendChild(el("div", "frontline-row-quote", quote)); }
      var src = el("div", "frontline-row-source");
      src.appendChild(linkOrText(this._str("title", i) || this._str("source", i) || "source", this._str("url", i)));
      li.appendChild(src);
      L.DomEvent.on(li, "click", function (ev) {
        if (ev.target && ev.target.tagName === "A") { return; }
        self.openEvent(i);
      });
      return li;
    },

    /** A type's swatch as an <img> (drawn once, then copied): cheap for long lists. */
    _swatchImage: function (k) {
      var images = this._swatchImages || (this._swatchImages = {});
      if (!images[k]) {
        var img = el("img", "frontline-swatch");
        img.src = swatch(this.types[k], 12).toDataURL("image/png");
        img.width = img.height = 12;
        img.alt = "";
        images[k] = img;
      }
      return images[k].cloneNode(false);
    },

    _listKey: function (ev) {
      var row = ev.target && ev.target.closest ? ev.target.closest(".frontline-row") : null;
      if (!row) { return; }
      var next = null;
      if (ev.key === "ArrowDown") { next = row.nextElementSibling; }
      else if (ev.key === "ArrowUp") { next = row.previousElementSibling; }
      else if (ev.key === "Home") { next = row.parentNode.firstElementChild; }
      else if (ev.key === "End") { next = row.parentNode.lastElementChild; }
      else if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        this.openEvent(parseInt(row.getAttribute("data-index"), 10));
        return;
      }
      if (next) { ev.preventDefault(); next.focus(); }
    },

    /** Open event i's popup (its place's events) and mark its row. */
    openEvent: function (i) {
      var data = this.data, hits = [];
      var range = this.visibleRange();
      for (var k = range[0]; k < range[1]; k++) {
        if (this.shows(k) && data.lat[k] === data.lat[i] && data.lon[k] === data.lon[i]) { hits.push(k); }
      }
      hits.sort(function (a, b) { return (b === i) - (a === i) || b - a; });
      if (!hits.length) { hits = [i]; }
      var at = L.latLng(data.lat[i], data.lon[i]);
      if (!this.map.getBounds().contains(at)) { this.map.panTo(at, {animate: false}); }
      this._openPopup(at, hits);
    },

    _highlight: function (indices) {
      if (!this.list) { return; }
      var want = {}, first = null;
      indices.forEach(function (i) { want[i] = 1; });
      this._active = want; // kept when the list is redrawn (the popup pans the map)
      Array.prototype.forEach.call(this.list.children, function (li) {
        var on = want[li.getAttribute("data-index")] === 1;
        li.classList.toggle("frontline-row-active", on);
        if (on && !first) { first = li; }
      });
      if (first && first.scrollIntoView) { first.scrollIntoView({block: "nearest"}); }
    },

    _flyToMatches: function () {
      var q = this.query.toLowerCase();
      if (!q) { return; }
      var idx = this.visibleIndices();
      if (!idx.length) { // no event there in this window: any event, then a place label
        for (var i = 0; i < this.day.length; i++) { if (this.keep[i]) { idx.push(i); break; } }
      }
      if (idx.length) {
        var pts = idx.map(function (i) { return [this.data.lat[i], this.data.lon[i]]; }, this);
        this.map.fitBounds(L.latLngBounds(pts).pad(0.3), {maxZoom: 10, animate: false});
        return;
      }
      var labels = this.data.labels || [];
      for (var k = 0; k < labels.length; k++) {
        if (String(labels[k][0]).toLowerCase() === q) {
          this.map.setView([labels[k][2], labels[k][1]], 10, {animate: false});
          return;
        }
      }
    },

    /** The listed events as CSV (formula-looking cells made inert), downloaded. */
    csvText: function () {
      var self = this, rows = [["date", "place", "admin1", "event_type", "sub_event_type", "quote",
                                "title", "source", "url", "event_id", "latitude", "longitude"]];
      (this.listed || this.listIndices()).forEach(function (i) {
        rows.push([dayToIso(self.day[i]), self._str("place", i), self._str("admin1", i),
                   self.types[self.type[i]].key, self._str("sub", i), self._str("quote", i),
                   self._str("title", i), self._str("source", i), self._str("url", i),
                   self._str("id", i), String(self.data.lat[i]), String(self.data.lon[i])]);
      });
      return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
    },

    downloadCsv: function () {
      var self = this, listed = this.listed = this.listIndices();
      return this._withText(listed, function () {
        var blob = new Blob(["\ufeff" + self.csvText()], {type: "text/csv;charset=utf-8"});
        var a = el("a");
        a.href = URL.createObjectURL(blob);
        a.download = "frontline-events-" + dayToIso(self.current) + ".csv";
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
    },

    // ----------------------------------------------------------------- URL hash

    /**
     * Write the URL hash once changes pause (HASH_QUIET ms), at least every
     * HASH_MAX_WAIT ms while they go on: a history update costs the browser more than
     * a redraw, so it is not made at every step of a drag, a zoom or playing.
     */
    _scheduleHash: function () {
      var self = this, now = Date.now();
      if (!this._ready) { return; }
      if (!this._hashQueued) { this._hashQueued = true; this._hashSince = now; }
      clearTimeout(this._hashTimer);
      var wait = Math.max(0, Math.min(HASH_QUIET, this._hashSince + HASH_MAX_WAIT - now));
      this._hashTimer = setTimeout(function () { self._hashQueued = false; self._writeHash(); }, wait);
    },

    /** A promise resolved once the URL hash shows the current state (for tests and tools). */
    hashReady: function () {
      var self = this;
      return new Promise(function (resolve) {
        (function wait() { if (self._hashQueued) { setTimeout(wait, 20); } else { resolve(true); } })();
      });
    },

    stateHash: function () {
      var c = this.map.getCenter(), self = this;
      var params = new URLSearchParams();
      params.set("date", dayToIso(this.current));
      params.set("window", String(this.window));
      params.set("cumulative", this.cumulative ? "1" : "0");
      params.set("zoom", String(this.map.getZoom()));
      params.set("center", c.lat.toFixed(4) + "," + c.lng.toFixed(4));
      params.set("types", this.types.filter(function (t, k) { return self.typeOn[k]; })
        .map(function (t) { return t.key; }).join(","));
      if (this.source) { params.set("source", this.source); }
      if (this.query) { params.set("q", this.query); }
      params.set("panel", this.panelOpen ? "1" : "0");
      if (this.sortKey !== "date-desc") { params.set("sort", this.sortKey); }
      return "#" + params.toString();
    },

    _writeHash: function () {
      var hash = this.stateHash();
      if (hash === root.location.hash) { return; }
      this._lastHash = hash;
      try {
        root.history.replaceState(null, "", hash);
      } catch (err) {
        root.location.hash = hash;
      }
    },

    // ----------------------------------------------------------------- areas, control

    /** Outlines of the regions and countries of visible events (one per area). */
    _updateAreas: function () {
      if (!this.areaIdx.length) { return; }
      var self = this, range = this.visibleRange();
      var start = this.cumulative ? this.dayMin : Math.max(this.dayMin, this.current - this.window + 1);
      var lo = lowerBound(this.areaDay, start), hi = lowerBound(this.areaDay, this.current + 1);
      var want = {};
      for (var k = lo; k < hi; k++) {
        var i = this.areaIdx[k];
        if (i < range[0] || i >= range[1] || !this.shows(i)) { continue; }
        (want[this.area[i]] = want[this.area[i]] || []).push(i);
      }
      Object.keys(this.areaLayers).forEach(function (a) {
        if (!want[a]) { self.areaGroup.removeLayer(self.areaLayers[a]); delete self.areaLayers[a]; }
      });
      Object.keys(want).forEach(function (a) {
        var events = want[a], last = events[events.length - 1];
        var color = self.types[self.type[last]].color;
        var layer = self.areaLayers[a];
        if (!layer) {
          layer = L.geoJSON(self.data.areas[a], {
            className: "frontline-area",
            style: {color: color, weight: 2, dashArray: "6 4", fillColor: color, fillOpacity: 0.08}
          });
          layer.on("click", function (ev) {
            L.DomEvent.stopPropagation(ev);
            self._openPopup(ev.latlng, layer._events_.slice().reverse());
          });
          self.areaLayers[a] = layer;
          self.areaGroup.addLayer(layer);
        } else {
          layer.setStyle({color: color, fillColor: color});
        }
        layer._events_ = events;
      });
    },

    /**
     * The places whose control the articles report, coloured by the latest report up
     * to the slider's date. Only the rings whose report changed are touched per step.
     */
    _updateControl: function () {
      if (!this.controlIdx.length) { return; }
      var at = new Int32Array(this.nloc).fill(-1), loc = this.loc, changed = false, k, i;
      for (k = 0; k < this.controlIdx.length; k++) {
        i = this.controlIdx[k];
        if (this.day[i] > this.current) { break; }
        if (this.day[i] >= this.dayMin && this.keep[i] === 1) { at[loc[i]] = i; }
      }
      var old = this.controlAt, control = this.data.control;
      for (k = 0; k < at.length && !changed; k++) { // same holders: nothing to redraw
        changed = (at[k] < 0) !== (old[k] < 0) || (at[k] >= 0 && control[at[k]] !== control[old[k]]);
      }
      this.controlAt = at;
      if (changed) { this.rings.redraw(); }
    },

    // ----------------------------------------------------------------- snapshots

    _frontStyle: function (key) {
      var styles = this.data.frontStyles || {};
      return styles[key] || {color: "#a61e4d", fill: "#e64980", fill_opacity: 0.18, dash: ""};
    },

    _buildSnapshots: function (layerControl) {
      var map = this.map;
      this.snapshots = (this.data.frontline || []).map(function (s) {
        return {from: s.from, to: s.to, label: s.label, layer: s.layer || "Front line",
                style: s.style || "other", geojson: s.geojson, area: s.area_km2, leaflet: null,
                shown: false};
      });
      this.snapshotGroup = L.layerGroup().addTo(map);
      if (this.snapshots.length && layerControl) {
        layerControl.addOverlay(this.snapshotGroup, "Front line");
      }
    },

    _updateSnapshots: function () {
      var d = this.current, group = this.snapshotGroup, self = this;
      this.snapshots.forEach(function (s) {
        var show = s.from <= d && (s.to === null || s.to === undefined || d <= s.to);
        if (show && !s.leaflet) {
          var st = self._frontStyle(s.style);
          s.leaflet = L.geoJSON(s.geojson, {
            interactive: false,
            style: {color: st.color, weight: 2, dashArray: st.dash || null, fillColor: st.fill,
                    fillOpacity: st.fill_opacity, className: "frontline-front"}
          });
        }
        if (show !== s.shown) {
          if (show) { group.addLayer(s.leaflet); } else { group.removeLayer(s.leaflet); }
          s.shown = show;
        }
      });
    },

    /** While online tiles are shown, the land fill is hidden (it would cover them). */
    _watchTiles: function () {
      var container = this.map.getContainer();
      function update(ev, on) {
        if (ev.layer instanceof L.TileLayer) { container.classList.toggle("frontline-tiles-on", on); }
      }
      this.map.on("layeradd", function (ev) { update(ev, true); });
      this.map.on("layerremove", function (ev) { update(ev, false); });
    },

    // ----------------------------------------------------------------- popups

    /** Visible events under a container point, nearest first. */
    hitTest: function (point) {
      var hits = [], r = RADIUS + 1.5 + HIT_SLOP, r2 = r * r;
      for (var k = this.ndrawn - 1; k >= 0; k--) {
        var dx = this.sx[k] - point.x, dy = this.sy[k] - point.y, d2 = dx * dx + dy * dy;
        if (d2 <= r2) { hits.push([d2, this.drawn[k]]); }
      }
      hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
      return hits.map(function (h) { return h[1]; });
    },

    _onMove: function (ev) {
      var self = this;
      if (this._moveQueued) { return; }
      this._moveQueued = true;
      root.requestAnimationFrame(function () {
        self._moveQueued = false;
        var hit = self.hitTest(ev.containerPoint).length > 0;
        self.map.getContainer().classList.toggle("frontline-pointer", hit);
      });
    },

    _onClick: function (ev) {
      var hits = this.hitTest(ev.containerPoint);
      if (!hits.length) { return; }
      var first = hits[0];
      this._openPopup(L.latLng(this.data.lat[first], this.data.lon[first]), hits);
    },

    _popupOptions: function () {
      var width = this.map.getSize().x;
      return {maxWidth: Math.min(380, width - 60), minWidth: Math.min(240, width - 80),
              maxHeight: Math.min(360, Math.round(this.map.getSize().y * 0.55)),
              className: "frontline-popup", autoPanPadding: [12, 12]};
    },

    /** The latest reported territory change at event i's place (-1: none, or rings off). */
    _controlEvent: function (i) {
      return this.map.hasLayer(this.rings) ? this.controlAt[this.loc[i]] : -1;
    },

    /** The reported-control line of a place (its latest territory change), if any. */
    _controlNote: function (i) {
      var k = this._controlEvent(i);
      if (k < 0) { return null; }
      var holder = HOLDERS[this.data.control[k]];
      var text = holder[0] === "unclear" ? "control unclear" : "held by " + holder[0];
      return el("div", "frontline-control-head", "Reported control: " + text +
        " (latest report " + dayToIso(this.day[k]) + ": " + this._str("quote", k) + ")");
    },

    _openPopup: function (latlng, indices) {
      var self = this, needed = indices.slice(0, MAX_POPUP_EVENTS), k = this._controlEvent(indices[0]);
      if (k >= 0) { needed.push(k); }
      this._highlight(indices);
      this._withText(needed, function () {
        var content = self.popupContent(indices), note = self._controlNote(indices[0]);
        if (note) { content.insertBefore(note, content.firstChild); }
        L.popup(self._popupOptions()).setLatLng(latlng).setContent(content).openOn(self.map);
      });
    },

    /** Text of event i: place, admin1 and source from the core, the rest from its chunk. */
    _str: function (column, i) {
      var k;
      if (CORE_TEXT[column]) {
        k = this.data[column][i];
        return k >= 0 ? this.strings[k] : "";
      }
      var c = (i / this.textChunk) | 0, chunk = this._chunks[c];
      if (!chunk) { return ""; } // not unpacked yet: callers wait with _withText
      k = chunk[column][i - c * this.textChunk]; // the text, or its index in the chunk's table
      return typeof k === "string" ? k : k >= 0 ? chunk.strings[k] : "";
    },

    _eventItem: function (i) {
      var self = this, item = el("div", "frontline-event");
      item.setAttribute("data-event-id", self._str("id", i));
      var t = self.types[self.type[i]];
      var head = el("div", "frontline-event-head");
      head.appendChild(swatch(t, 12));
      var typeText = t.label + (self._str("sub", i) ? " \u2013 " + self._str("sub", i) : "");
      head.appendChild(el("strong", null, " " + typeText));
      item.appendChild(head);
      var prec = PRECISION_LABEL[self.data.tp[i]] || "unknown";
      item.appendChild(el("div", "frontline-when", dayToIso(self.day[i]) + " (precision: " + prec + ")"));
      var place = self._str("place", i), admin1 = self._str("admin1", i);
      var where = place + (admin1 && admin1 !== place ? ", " + admin1 : "");
      var gp = GEO_PRECISION_LABEL[self.data.gp[i]];
      item.appendChild(el("div", "frontline-where", where + (gp ? " (" + gp + ")" : "")));
      var quote = self._str("quote", i);
      if (quote) { item.appendChild(el("blockquote", "frontline-quote", quote)); }
      var src = el("div", "frontline-source");
      var title = self._str("title", i) || self._str("url", i) || "source";
      src.appendChild(linkOrText(title, self._str("url", i)));
      var outlet = self._str("source", i);
      if (outlet) { src.appendChild(el("span", "frontline-outlet", " \u2014 " + outlet)); }
      item.appendChild(src);
      var others = self._str("others", i);
      if (others) { // "label<TAB>url" per line (written by frontline.mapbuild)
        var list = el("ul", "frontline-others");
        others.split("\n").forEach(function (entry) {
          if (!entry) { return; }
          var parts = entry.split("\t");
          var li = el("li");
          li.appendChild(linkOrText(parts[0] || parts[1], parts[1] || ""));
          list.appendChild(li);
        });
        var nsrc = self.data.nsrc[i];
        item.appendChild(el("div", "frontline-others-head",
          "Sources" + (nsrc > 1 ? " (" + nsrc + ")" : "") + ":"));
        item.appendChild(list);
      }
      var corr = self._str("corr", i);
      if (corr) { item.appendChild(el("div", "frontline-correction", "Corrected: " + corr)); }
      return item;
    },

    /**
     * The popup DOM for a list of events (article text always set as text). Every
     * event is reachable: the popup scrolls, and "show more" adds the next ones.
     */
    popupContent: function (indices) {
      var self = this, box = el("div", "frontline-popup-body");
      if (indices.length > 1) {
        box.appendChild(el("div", "frontline-popup-count", indices.length + " events here"));
      }
      var shown = 0;
      var more = el("button", "frontline-more");
      more.type = "button";
      function addChunk() {
        var stop = Math.min(indices.length, shown + (shown ? POPUP_CHUNK : MAX_POPUP_EVENTS));
        self._withText(indices.slice(shown, stop), function () {
          for (; shown < stop; shown++) {
            if (shown > 0) { box.insertBefore(el("hr"), more); }
            box.insertBefore(self._eventItem(indices[shown]), more);
          }
          var rest = indices.length - shown;
          more.hidden = rest <= 0;
          more.textContent = "Show " + Math.min(rest, POPUP_CHUNK) + " more (" + rest + " left)";
        });
      }
      box.appendChild(more);
      L.DomEvent.on(more, "click", function (ev) { L.DomEvent.stop(ev); addChunk(); });
      addChunk();
      return box;
    }
  };

  /** Text columns carried by the core data (the others come in chunks). */
  var CORE_TEXT = {place: 1, admin1: 1, source: 1};

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /** One CSV cell: quoted when needed; a leading = + - @ (or full-width ＝) made inert. */
  function csvCell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) {
      text = "'" + text;
    }
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /** Base64 of gzip-compressed JSON, unpacked by the browser (a promise of the value). */
  function unpackJson(base64) {
    var text = atob(base64.trim());
    var bytes = new Uint8Array(text.length);
    for (var k = 0; k < text.length; k++) { bytes[k] = text.charCodeAt(k); }
    var stream = new Blob([bytes]).stream().pipeThrough(new root.DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  root.FrontlineTime = {
    instances: [],
    dayToIso: dayToIso,
    lowerBound: lowerBound,
    safeHref: safeHref,
    csvCell: csvCell,
    /**
     * Read the JSON block `dataElement`, draw its events on `map` and add the time
     * control; `layerControl` (may be null) receives one toggle per event type.
     */
    attach: function (map, layerControl, dataElement, textElement) {
      function start(data) {
        var text = textElement ? JSON.parse(textElement.textContent) : [];
        var ctl = new Controller(map, layerControl, data, text);
        root.FrontlineTime.instances.push(ctl);
        return ctl;
      }
      if (dataElement.type !== "application/gzip-base64") {
        return start(JSON.parse(dataElement.textContent));
      }
      // Large maps carry their data gzip-compressed: unpacked with the browser's own
      // DecompressionStream (returns a promise of the controller).
      if (!root.DecompressionStream) {
        map.getContainer().appendChild(el("div", "frontline-too-old",
          "This map is large and needs a recent browser (Chrome 80, Firefox 113, Safari 16.4 or later)."));
        return null;
      }
      return unpackJson(dataElement.textContent).then(start);
    }
  };
})(window);
