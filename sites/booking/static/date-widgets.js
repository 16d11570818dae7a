// Booking page: the date field drawn by the browser's date input or by an npm date-picker
// library instead of the site's own grid (the tenant's `date_widget`, see
// sites/booking/widgets.py). app.js keeps the one state (month shown, availability, selected
// day); an adapter only draws it and reports what the person did.
//
// Each adapter is `mount(root, api)` and returns `{ refresh() }`:
//   root                 an empty element inside #calendar to draw into;
//   api.today            "YYYY-MM-DD", the site's today (never the browser clock);
//   api.month()          "YYYY-MM" the page wants shown;
//   api.selected()       the selected "YYYY-MM-DD", or "";
//   api.isAvailable(iso) whether the server said the day can be booked (false until known);
//   api.showMonth(month) the widget now shows another month: load its availability;
//   api.pick(iso)        the person picked a day.
// `refresh()` redraws availability and selection from the state, without reporting back.
"use strict";

(() => {
  const pad = (n) => String(n).padStart(2, "0");
  // Libraries hand out local-time Date objects: read them in local time.
  const iso = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const monthOf = (d) => iso(d).slice(0, 7);
  const localDate = (text) => {
    const [y, m, d] = text.split("-").map(Number);
    return new Date(y, m - 1, d || 1);
  };

  function native(root, api) {
    const input = document.createElement("input");
    input.type = "date";
    input.min = api.today;
    input.setAttribute("aria-labelledby", "date-label");
    input.value = api.selected();
    input.addEventListener("change", () => {
      if (input.value) api.pick(input.value);
    });
    root.append(input);
    return {
      refresh() {
        if (document.activeElement !== input && api.selected()) input.value = api.selected();
      },
    };
  }

  function flatpickrWidget(root, api) {
    const input = document.createElement("input");
    input.type = "text";
    input.hidden = true;
    input.setAttribute("aria-labelledby", "date-label");
    root.append(input);
    const viewMonth = (fp) => `${fp.currentYear}-${pad(fp.currentMonth + 1)}`;
    const fp = window.flatpickr(input, {
      inline: true,
      appendTo: root,
      dateFormat: "Y-m-d",
      minDate: api.today,
      now: localDate(api.today),
      defaultDate: api.selected() || undefined,
      locale: { firstDayOfWeek: 1 },
      disable: [(d) => !api.isAvailable(iso(d))],
      onChange: (dates) => {
        if (dates.length && iso(dates[0]) !== api.selected()) api.pick(iso(dates[0]));
      },
      onMonthChange: (_dates, _text, self) => api.showMonth(viewMonth(self)),
      onYearChange: (_dates, _text, self) => api.showMonth(viewMonth(self)),
    });
    fp.jumpToDate(localDate(api.month()));
    return {
      refresh() {
        const chosen = fp.selectedDates.length ? iso(fp.selectedDates[0]) : "";
        if (chosen !== api.selected()) {
          if (api.selected()) fp.setDate(api.selected(), false);
          else fp.clear(false);
          fp.jumpToDate(localDate(api.month()));
        }
        fp.redraw();
      },
    };
  }

  function pikadayWidget(root, api) {
    let quiet = true; // set while the page itself changes the picker
    const picker = new window.Pikaday({
      bound: false,
      firstDay: 1,
      minDate: localDate(api.today),
      defaultDate: api.selected() ? localDate(api.selected()) : undefined,
      setDefaultDate: Boolean(api.selected()),
      disableDayFn: (d) => !api.isAvailable(iso(d)),
      onSelect: (d) => {
        if (!quiet && iso(d) !== api.selected()) api.pick(iso(d));
      },
      onDraw: (self) => {
        const shown = self.calendars[0];
        if (!quiet) api.showMonth(`${shown.year}-${pad(shown.month + 1)}`);
      },
    });
    root.append(picker.el);
    picker.gotoDate(localDate(api.month()));
    quiet = false;
    return {
      refresh() {
        quiet = true;
        const chosen = picker.getDate() ? iso(picker.getDate()) : "";
        if (chosen !== api.selected()) picker.setDate(api.selected() ? localDate(api.selected()) : null, true);
        picker.gotoDate(localDate(api.month()));
        quiet = false;
      },
    };
  }

  function vanillaWidget(root, api) {
    const host = document.createElement("div");
    host.setAttribute("aria-labelledby", "date-label");
    root.append(host);
    let quiet = false;
    const picker = new window.Datepicker(host, {
      format: "yyyy-mm-dd",
      minDate: api.today,
      weekStart: 1,
      defaultViewDate: localDate(api.month()),
      beforeShowDay: (d) => api.isAvailable(iso(d)),
    });
    if (api.selected()) picker.setDate(api.selected());
    host.addEventListener("changeDate", (event) => {
      const day = event.detail.date;
      if (!quiet && day && iso(day) !== api.selected()) api.pick(iso(day));
    });
    host.addEventListener("changeMonth", (event) => {
      if (!quiet) api.showMonth(monthOf(event.detail.viewDate));
    });
    return {
      refresh() {
        quiet = true;
        const chosen = picker.getDate("yyyy-mm-dd") || "";
        if (chosen !== api.selected()) {
          if (api.selected()) picker.setDate(api.selected());
          else picker.setDate({ clear: true });
        }
        // refresh() puts the view back on the selection (or the first view): keep the
        // month the page shows.
        picker.refresh("picker", true);
        picker.setFocusedDate(localDate(api.month()));
        quiet = false;
      },
    };
  }

  window.bookingDateWidgets = {
    native,
    flatpickr: flatpickrWidget,
    pikaday: pikadayWidget,
    "vanillajs-datepicker": vanillaWidget,
  };
})();
