/*
 * frontline_time.js: the time control of Frontline's event map.
 *
 * Written for Frontline (no third-party code). It needs Leaflet 1.9 and nothing else.
 *
 * Design
 * ------
 * - The events arrive once, as column arrays in a JSON block (a script element of
 *   type application/json) written by frontline.mapbuild: `day` (days since 1970-01-01, sorted
 *   ascending), `lat`, `lon`, `type` (index into `types`) and, for popups, indices
 *   into one shared string table. Nothing is copied per time step.
 * - At each slider step the visible events are one contiguous run of the sorted
 *   arrays, found with two binary searches: [first day of the window, current day].
 * - All markers are drawn on one <canvas> in their own map pane. Positions are
 *   projected once at zoom 0 and only scaled and shifted at redraw, so a redraw of
 *   100,000 points is a single loop plus one filled path per event type.
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
  // The canvas layer holding every event.
  // ---------------------------------------------------------------------------

  /**
   * Two canvases in their own pane. In window mode `base` holds every visible
   * event, redrawn at each step (a window holds few events). In cumulative mode
   * `base` holds the events dated before the slider's day and `top` the (larger)
   * events of that day, so playing forward only adds the newly reached days to
   * `base`; any other change redraws both.
   */
  var EventCanvas = L.Layer.extend({
    initialize: function (owner) {
      this._owner = owner;
      this._drawnDay = null; // the slider day `base` was drawn for (null: redraw all)
    },

    onAdd: function (map) {
      var pane = map.getPane("frontlineEvents") || map.createPane("frontlineEvents");
      pane.style.zIndex = 450;          // above outlines and snapshots, below popups
      pane.style.pointerEvents = "none"; // clicks go to the map, which hit-tests
      this._base = L.DomUtil.create("canvas", "frontline-events leaflet-zoom-animated", pane);
      this._top = L.DomUtil.create("canvas", "frontline-events-today leaflet-zoom-animated", pane);
      map.on("moveend zoomend resize viewreset", this._reset, this);
      map.on("zoomanim", this._animateZoom, this);
      this._reset();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._reset, this);
      map.off("zoomanim", this._animateZoom, this);
      L.DomUtil.remove(this._base);
      L.DomUtil.remove(this._top);
      this._base = this._top = null;
    },

    /** Follow Leaflet's zoom animation with a CSS transform, as Leaflet's renderers do. */
    _animateZoom: function (ev) {
      var map = this._map;
      var scale = map.getZoomScale(ev.zoom, map.getZoom());
      var offset = map._latLngToNewLayerPoint(this._topLeft, ev.zoom, ev.center);
      L.DomUtil.setTransform(this._base, offset, scale);
      L.DomUtil.setTransform(this._top, offset, scale);
    },

    /** Put the canvases over the visible map and redraw. */
    _reset: function () {
      var map = this._map, size = map.getSize(), ratio = root.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      this._topLeft = map.layerPointToLatLng(topLeft);
      [this._base, this._top].forEach(function (canvas) {
        L.DomUtil.setPosition(canvas, topLeft);
        canvas.width = Math.round(size.x * ratio);
        canvas.height = Math.round(size.y * ratio);
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
        var ctx = canvas.getContext("2d");
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.imageSmoothingEnabled = false;
      });
      this.redraw();
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
      if (!this._base) { return; }
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
        return;
      }
      if (this._drawnDay !== null && today >= this._drawnDay) {
        owner.ndrawn = this._nBase; // forget the old day's top markers, keep base ones
        this._drawRange(this._base, lowerBound(day, this._drawnDay), split, false);
      } else {
        this._base.getContext("2d").clearRect(0, 0, size.x, size.y);
        owner.ndrawn = 0;
        this._drawRange(this._base, range[0], split, true);
      }
      this._nBase = owner.ndrawn;
      this._drawRange(this._top, split, range[1], true);
      this._topUsed = true;
      this._drawnDay = today;
    },

    /**
     * Draw events [lo, hi) of switched-on types on `canvas`, appending their screen
     * positions to the owner's hit-test arrays. Newer events end up on top.
     *
     * `fresh` (a cleared canvas): the events are drawn newest first, each beneath
     * what is there ("destination-over"), and an event is skipped when its type was
     * already drawn at the same whole pixel: markers are opaque, so the newer one
     * covers it exactly. A town with a thousand reports costs one draw per type.
     * Otherwise (adding the days reached while playing) they are drawn in order on top.
     */
    _drawRange: function (canvas, lo, hi, fresh) {
      var owner = this._owner, map = this._map, ctx = canvas.getContext("2d");
      var size = map.getSize(), margin = RADIUS * 2;
      var scale = map.options.crs.scale(map.getZoom()) / map.options.crs.scale(0);
      var origin = map.getPixelOrigin(), topLeft = map.containerPointToLayerPoint([0, 0]);
      var dx = -origin.x - topLeft.x, dy = -origin.y - topLeft.y;
      var px = owner.px, py = owner.py, type = owner.type, on = owner.typeOn;
      var day = owner.day, today = owner.current, tp = owner.data.tp, sprites = [], k;
      for (k = 0; k < owner.types.length; k++) { // [normal, today] x [exact, vague date]
        sprites.push([this._sprite(k, false, false), this._sprite(k, false, true),
                      this._sprite(k, true, false), this._sprite(k, true, true)]);
      }
      var gw = size.x + 2 * margin, gh = size.y + 2 * margin, seen = null;
      if (fresh) {
        if (!this._seen || this._seen.length !== gw * gh) { this._seen = new Uint32Array(gw * gh); }
        seen = this._seen;
        seen.fill(0);
        ctx.globalCompositeOperation = "destination-over";
      }
      var drawn = owner.drawn, sx = owner.sx, sy = owner.sy, n = owner.ndrawn;
      var count = hi - lo;
      for (var j = 0; j < count; j++) {
        var i = fresh ? hi - 1 - j : lo + j;
        var t = type[i];
        if (!on[t]) { continue; }
        var x = px[i] * scale + dx, y = py[i] * scale + dy;
        if (x < -margin || y < -margin || x >= size.x + margin || y >= size.y + margin) { continue; }
        drawn[n] = i; sx[n] = x; sy[n] = y; n++;
        // Whole pixels: sub-pixel drawImage would resample every marker.
        var ix = Math.round(x), iy = Math.round(y);
        var vague = tp[i] >= 2 ? 1 : 0;
        if (seen) { // one bit per (type, vague): up to 16 types
          var cell = (iy + margin) * gw + ix + margin, bit = 1 << (t + 16 * vague);
          if (seen[cell] & bit) { continue; }
          seen[cell] |= bit;
        }
        // Today's marker is larger: drawn first in a fresh drawing, it covers the
        // older ones of its style at that pixel, which are skipped.
        var sp = sprites[t][(day[i] === today ? 2 : 0) + vague];
        ctx.drawImage(sp.canvas, ix - sp.half, iy - sp.half, 2 * sp.half, 2 * sp.half);
      }
      ctx.globalCompositeOperation = "source-over";
      owner.ndrawn = n;
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
  // The controller: state, slider, legend, popups, snapshots.
  // ---------------------------------------------------------------------------

  function Controller(map, layerControl, data) {
    var self = this, n = data.day.length;
    map.getContainer().classList.add("frontline-map");
    this.map = map;
    this.data = data;
    this.strings = data.strings;
    this.types = data.types;
    this.day = Int32Array.from(data.day);
    this.type = Uint8Array.from(data.type);
    this.window = Math.max(1, data.window | 0);
    this.cumulative = !!data.cumulative;
    this.dayMin = data.dayMin;
    this.dayMax = data.dayMax;
    this.current = data.dayMax;
    this.typeOn = this.types.map(function (t) { return !!t.on; });
    // Project every event once at zoom 0 (Leaflet's CRS; (lat, lon) order is Leaflet's).
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    var crs = map.options.crs;
    for (var i = 0; i < n; i++) {
      var p = crs.latLngToPoint(L.latLng(data.lat[i], data.lon[i]), 0);
      this.px[i] = p.x;
      this.py[i] = p.y;
    }
    this.drawn = new Int32Array(n);
    this.sx = new Float32Array(n);
    this.sy = new Float32Array(n);
    this.ndrawn = 0;

    this.canvas = new EventCanvas(this).addTo(map);
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

    this._buildSnapshots(layerControl);
    this._buildSlider();
    this._buildLegend();
    if (data.mapTitle) {
      var TitleControl = L.Control.extend({
        onAdd: function () { return el("div", "frontline-title", data.mapTitle); }
      });
      new TitleControl({position: "topleft"}).addTo(map);
    }
    map.on("click", this._onClick, this);
    map.on("mousemove", this._onMove, this);
    this._ready = true; // from here on, every change redraws (the canvas drew on adding)
    this.setDay(this.current);
  }

  Controller.prototype = {
    /** [lo, hi) indices of the events inside the current window. */
    visibleRange: function () {
      var hi = lowerBound(this.day, this.current + 1);
      var lo = this.cumulative ? 0 : lowerBound(this.day, this.current - this.window + 1);
      return [lo, hi];
    },

    /** Indices of visible events of switched-on types, in date order (used by tests). */
    visibleIndices: function () {
      var range = this.visibleRange(), out = [];
      for (var i = range[0]; i < range[1]; i++) {
        if (this.typeOn[this.type[i]]) { out.push(i); }
      }
      return out;
    },

    /** Event ids of visible events (strings from the table). */
    visibleIds: function () {
      var ids = this.data.id, strings = this.strings;
      return this.visibleIndices().map(function (i) { return strings[ids[i]]; });
    },

    /** Container pixel of event i (for tests and tools). */
    screenPoint: function (i) {
      var p = this.map.latLngToContainerPoint([this.data.lat[i], this.data.lon[i]]);
      return [p.x, p.y];
    },

    setDay: function (day) {
      this.current = Math.min(this.dayMax, Math.max(this.dayMin, day | 0));
      if (this.slider) { this.slider.value = String(this.current - this.dayMin); }
      this._updateSnapshots();
      this.canvas.update();
      this._updateLabels();
    },

    setCumulative: function (flag) {
      this.cumulative = !!flag;
      if (this.cumulativeBox) { this.cumulativeBox.checked = this.cumulative; }
      this.canvas.redraw();
      this._updateLabels();
    },

    setTypeOn: function (k, flag) {
      this.typeOn[k] = !!flag;
      if (!this._ready) { return; } // the constructor draws once at its end
      this.legendRows[k].classList.toggle("frontline-off", !flag);
      this.canvas.redraw();
      this._updateLabels();
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
    },

    pause: function () {
      if (this._timer) { root.cancelAnimationFrame(this._timer); }
      this._timer = null;
      this.playButton.textContent = "\u25B6";
      this.playButton.title = "Play";
    },

    _updateLabels: function () {
      if (!this.dateLabel) { return; }
      var range = this.visibleRange();
      var from = this.cumulative ? this.dayMin : Math.max(this.dayMin, this.current - this.window + 1);
      if (!this.day.length && !this.snapshots.length) {
        this.dateLabel.textContent = "no dated events";
        this.countLabel.textContent = "";
        return;
      }
      this.dateLabel.textContent = dayToIso(this.current);
      this.dateLabel.title = this.cumulative
        ? "all events up to " + dayToIso(this.current)
        : "events dated " + dayToIso(from) + " to " + dayToIso(this.current);
      var count = 0;
      for (var i = range[0]; i < range[1]; i++) { if (this.typeOn[this.type[i]]) { count++; } }
      this.countLabel.textContent = count + (count === 1 ? " event" : " events");
      if (this.snapshotLabel) {
        var shown = this.snapshots.filter(function (s) { return s.shown; });
        this.snapshotLabel.textContent = shown.length
          ? "front line: " + shown.map(function (s) { return s.label; }).join(", ") : "";
      }
    },

    _buildSlider: function () {
      var self = this;
      var Slider = L.Control.extend({
        onAdd: function () {
          var box = el("div", "frontline-time leaflet-bar");
          L.DomEvent.disableClickPropagation(box);
          L.DomEvent.disableScrollPropagation(box);
          var play = el("button", "frontline-play", "\u25B6");
          play.type = "button";
          play.title = "Play";
          play.setAttribute("aria-label", "Play or pause");
          L.DomEvent.on(play, "click", function () { if (self._timer) { self.pause(); } else { self.play(); } });
          var slider = el("input", "frontline-slider");
          slider.type = "range";
          slider.min = "0";
          slider.max = String(self.dayMax - self.dayMin);
          slider.step = "1";
          slider.setAttribute("aria-label", "Date");
          L.DomEvent.on(slider, "input change", function () {
            self.setDay(self.dayMin + parseInt(slider.value, 10));
          });
          var date = el("span", "frontline-date");
          var speed = el("select", "frontline-speed");
          speed.title = "Days per second while playing";
          [1, 2, 7, 14, 30].forEach(function (v) {
            var opt = el("option", null, v + " d/s");
            opt.value = String(v);
            if (v === 7) { opt.selected = true; }
            speed.appendChild(opt);
          });
          self.speed = 7;
          L.DomEvent.on(speed, "change", function () { self.speed = parseInt(speed.value, 10); });
          var cumLabel = el("label", "frontline-cumulative");
          var cum = el("input");
          cum.type = "checkbox";
          cum.checked = self.cumulative;
          L.DomEvent.on(cum, "change", function () { self.setCumulative(cum.checked); });
          cumLabel.appendChild(cum);
          cumLabel.appendChild(document.createTextNode(" cumulative"));
          cumLabel.title = "Show every event up to the date instead of the last " + self.window + " days";
          var count = el("span", "frontline-count");
          var snap = el("span", "frontline-snapshot");
          [play, slider, date, speed, cumLabel, count, snap].forEach(function (c) { box.appendChild(c); });
          self.playButton = play;
          self.slider = slider;
          self.dateLabel = date;
          self.cumulativeBox = cum;
          self.countLabel = count;
          self.snapshotLabel = self.snapshots.length ? snap : null;
          return box;
        }
      });
      this.sliderControl = new Slider({position: "bottomleft"}).addTo(this.map);
    },

    _buildLegend: function () {
      var self = this;
      var Legend = L.Control.extend({
        onAdd: function () {
          var box = el("div", "frontline-legend");
          L.DomEvent.disableClickPropagation(box);
          L.DomEvent.disableScrollPropagation(box);
          box.appendChild(el("div", "frontline-legend-title", "Event types"));
          self.legendRows = self.types.map(function (t, k) {
            var row = el("div", "frontline-legend-row" + (self.typeOn[k] ? "" : " frontline-off"));
            row.appendChild(swatch(t, 14));
            row.appendChild(el("span", null, t.label));
            box.appendChild(row);
            return row;
          });
          box.appendChild(el("div", "frontline-legend-note",
            "Larger: dated the slider's day. Hollow: dated only to the week or month. " +
            "Window: " + (self.window === 1 ? "1 day" : self.window + " days") + "."));
          return box;
        }
      });
      new Legend({position: "bottomright"}).addTo(this.map);
    },

    _buildSnapshots: function (layerControl) {
      var map = this.map;
      this.snapshots = (this.data.frontline || []).map(function (s) {
        return {from: s.from, to: s.to, label: s.label, geojson: s.geojson, layer: null, shown: false};
      });
      this.snapshotGroup = L.layerGroup().addTo(map);
      if (this.snapshots.length && layerControl) {
        layerControl.addOverlay(this.snapshotGroup, "Front line");
      }
    },

    _updateSnapshots: function () {
      var d = this.current, group = this.snapshotGroup;
      this.snapshots.forEach(function (s) {
        var show = s.from <= d && (s.to === null || d <= s.to);
        if (show && !s.layer) {
          s.layer = L.geoJSON(s.geojson, {
            interactive: false,
            style: {color: "#a61e4d", weight: 2, fillColor: "#e64980", fillOpacity: 0.18}
          });
        }
        if (show !== s.shown) {
          if (show) { group.addLayer(s.layer); } else { group.removeLayer(s.layer); }
          s.shown = show;
        }
      });
    },

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
      L.popup({maxWidth: 380, maxHeight: 360, className: "frontline-popup"})
        .setLatLng([this.data.lat[first], this.data.lon[first]])
        .setContent(this.popupContent(hits))
        .openOn(this.map);
    },

    _str: function (column, i) {
      var k = this.data[column][i];
      return k >= 0 ? this.strings[k] : "";
    },

    /** The popup DOM for a list of events (article text always set as text). */
    popupContent: function (indices) {
      var self = this, box = el("div", "frontline-popup-body");
      var shown = indices.slice(0, MAX_POPUP_EVENTS);
      shown.forEach(function (i, n) {
        var item = el("div", "frontline-event");
        item.setAttribute("data-event-id", self._str("id", i));
        var t = self.types[self.type[i]];
        var head = el("div", "frontline-event-head");
        head.appendChild(swatch(t, 12));
        var typeText = t.label + (self._str("sub", i) ? " \u2013 " + self._str("sub", i) : "");
        head.appendChild(el("strong", null, " " + typeText));
        item.appendChild(head);
        var when = dayToIso(self.day[i]);
        var prec = PRECISION_LABEL[self.data.tp[i]] || "unknown";
        item.appendChild(el("div", "frontline-when", when + " (precision: " + prec + ")"));
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
        if (others) {
          var list = el("ul", "frontline-others");
          others.split(/;\s+/).forEach(function (entry) {
            if (!entry) { return; }
            var li = el("li");
            li.appendChild(linkOrText(entry, entry));
            list.appendChild(li);
          });
          var nsrc = self.data.nsrc[i];
          item.appendChild(el("div", "frontline-others-head",
            "Sources" + (nsrc > 1 ? " (" + nsrc + ")" : "") + ":"));
          item.appendChild(list);
        }
        var corr = self._str("corr", i);
        if (corr) { item.appendChild(el("div", "frontline-correction", "Corrected: " + corr)); }
        if (n > 0) { box.appendChild(el("hr")); }
        box.appendChild(item);
      });
      if (indices.length > shown.length) {
        box.appendChild(el("div", "frontline-more",
          "+ " + (indices.length - shown.length) + " more events here in this window"));
      }
      return box;
    }
  };

  root.FrontlineTime = {
    instances: [],
    dayToIso: dayToIso,
    lowerBound: lowerBound,
    safeHref: safeHref,
    /**
     * Read the JSON block `dataElement`, draw its events on `map` and add the time
     * control; `layerControl` (may be null) receives one toggle per event type.
     */
    attach: function (map, layerControl, dataElement) {
      var data = JSON.parse(dataElement.textContent);
      var ctl = new Controller(map, layerControl, data);
      root.FrontlineTime.instances.push(ctl);
      return ctl;
    }
  };
})(window);
