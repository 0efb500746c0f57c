#!/usr/bin/env node
console.log('spendbrief');
